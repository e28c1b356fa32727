# Runs one Lua scenario through `moonbox --headless` and checks it.
#
# A scenario passes when moonbox exits with the expected status (0 unless
# the file says otherwise) and its output holds what the file's header asks
# for. Header lines:
#   -- expect-exit: N         exit status
#   -- expect-out: TEXT       a stdout line equal to TEXT, in this order
#   -- expect-err: TEXT       stderr contains TEXT
#   -- expect-trace: TEXT     some line of the --trace file contains TEXT
#   -- args: A B C            arguments for the program
#   -- moonbox-options: ...   extra options before the program
#   -- expect-file: PATH TEXT   the file PATH (relative to the data directory)
#                             exists and contains TEXT
#   -- computer-file: ID PATH FIXTURE
#                             tests/lua/fixtures/FIXTURE becomes PATH in the
#                             files of computer ID (a computer of the world)
#   -- world-file: PATH FIXTURE  the same, for PATH in the world's directory
#                             (disk/3/startup.lua: a file on floppy 3)
#   -- http-stand-in          run under tests/support/http_stand_in.py, a
#                             web server on loopback: {port}, {port2} and
#                             {config} in args and options become its port,
#                             a free port and a configuration file
# The data directory starts empty, with tests/lua/lib copied into /lib.

cmake_policy(SET CMP0007 NEW)  # lists keep empty elements (empty output lines)
file(REMOVE_RECURSE ${WORKDIR})
file(MAKE_DIRECTORY ${WORKDIR}/data)
file(COPY ${LIBDIR}/ DESTINATION ${WORKDIR}/data/lib)

file(STRINGS ${SCENARIO} header REGEX "^-- (expect-|args:|moonbox-options:|computer-file:|world-file:|http-stand-in)")
set(expect_exit 0)
set(expect_out "")
set(expect_err "")
set(expect_trace "")
set(expect_files "")
set(args "")
set(options "")
set(runner "")
foreach(line IN LISTS header)
  if(line MATCHES "^-- expect-exit: *([0-9]+)")
    set(expect_exit ${CMAKE_MATCH_1})
  elseif(line MATCHES "^-- expect-out: (.*)$")
    list(APPEND expect_out "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^-- expect-err: (.*)$")
    list(APPEND expect_err "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^-- expect-file: ([^ ]+) (.*)$")
    list(APPEND expect_files "${CMAKE_MATCH_1}|${CMAKE_MATCH_2}")
  elseif(line MATCHES "^-- expect-trace: (.*)$")
    list(APPEND expect_trace "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^-- args: (.*)$")
    separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^-- http-stand-in")
    set(runner python3 ${STAND_IN} --)
  elseif(line MATCHES "^-- moonbox-options: (.*)$")
    separate_arguments(options UNIX_COMMAND "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^-- (computer|world)-file: *([0-9]* *)([^ ]+) +([^ ]+)")
    # The world of a run with --data-dir DATA is DATA/.moonbox/world.
    string(STRIP "${CMAKE_MATCH_2}" id)
    if(CMAKE_MATCH_1 STREQUAL "computer")
      set(target ${WORKDIR}/data/.moonbox/world/computer/${id}/${CMAKE_MATCH_3})
    else()
      set(target ${WORKDIR}/data/.moonbox/world/${CMAKE_MATCH_3})
    endif()
    get_filename_component(target_dir ${target} DIRECTORY)
    file(MAKE_DIRECTORY ${target_dir})
    file(COPY_FILE ${LIBDIR}/../fixtures/${CMAKE_MATCH_4} ${target})
  endif()
endforeach()

execute_process(
  COMMAND ${runner} ${MOONBOX} --headless --data-dir ${WORKDIR}/data --trace ${WORKDIR}/trace.jsonl
          ${options} ${SCENARIO} ${args}
  WORKING_DIRECTORY ${WORKDIR}
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  TIMEOUT 110)

message("---- stdout\n${out}---- stderr\n${err}---- exit ${status}")

set(failures "")
if(NOT "${status}" STREQUAL "${expect_exit}")
  list(APPEND failures "exit status ${status}, expected ${expect_exit}")
endif()

# stdout lines, in order
string(REPLACE ";" "\\;" out_escaped "${out}")
string(REPLACE "\n" ";" out_lines "${out_escaped}")
set(position 0)
list(LENGTH out_lines n_lines)
foreach(expected IN LISTS expect_out)
  set(found FALSE)
  while(position LESS n_lines)
    list(GET out_lines ${position} candidate)
    math(EXPR position "${position} + 1")
    if("${candidate}" STREQUAL "${expected}")
      set(found TRUE)
      break()
    endif()
  endwhile()
  if(NOT found)
    list(APPEND failures "stdout lacks (in order) the line: ${expected}")
  endif()
endforeach()

foreach(expected IN LISTS expect_err)
  string(FIND "${err}" "${expected}" at)
  if(at EQUAL -1)
    list(APPEND failures "stderr lacks: ${expected}")
  endif()
endforeach()

if(expect_trace)
  file(READ ${WORKDIR}/trace.jsonl trace)
  foreach(expected IN LISTS expect_trace)
    string(FIND "${trace}" "${expected}" at)
    if(at EQUAL -1)
      list(APPEND failures "trace lacks: ${expected}")
    endif()
  endforeach()
endif()

foreach(entry IN LISTS expect_files)
  string(FIND "${entry}" "|" bar)
  string(SUBSTRING "${entry}" 0 ${bar} path)
  math(EXPR after "${bar} + 1")
  string(SUBSTRING "${entry}" ${after} -1 text)
  if(NOT EXISTS ${WORKDIR}/data/${path})
    list(APPEND failures "no file ${path}")
  else()
    file(READ ${WORKDIR}/data/${path} content)
    string(FIND "${content}" "${text}" at)
    if(at EQUAL -1)
      list(APPEND failures "${path} lacks: ${text}")
    endif()
  endif()
endforeach()

if(failures)
  string(REPLACE ";" "\n  " text "${failures}")
  message(FATAL_ERROR "scenario failed:\n  ${text}")
endif()
