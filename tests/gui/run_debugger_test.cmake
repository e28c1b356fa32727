# Runs ipcdemo in the window with --debugger under Xvfb, takes a screenshot,
# and checks that the panels are drawn and populated.
#   -DMOONBOX=... -DCHECK=... -DPROGRAM=... -DWORKDIR=...
file(REMOVE_RECURSE ${WORKDIR})
file(MAKE_DIRECTORY ${WORKDIR}/data)
find_program(XVFB_RUN xvfb-run REQUIRED)
execute_process(
  COMMAND ${XVFB_RUN} -a -s "-screen 0 1600x900x24"
          ${MOONBOX} --debugger --data-dir ${WORKDIR}/data --screenshot ${WORKDIR}/debugger.png --quit-after 4
          ${PROGRAM}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
message("moonbox: exit ${status}\n${out}${err}")
if(NOT status EQUAL 0 OR NOT EXISTS ${WORKDIR}/debugger.png)
  message(FATAL_ERROR "moonbox did not produce a screenshot")
endif()
# regions as fractions of the screenshot: name x0 y0 x1 y1 min-drawn-pixels
set(regions
  "terminal 0.00 0.02 0.46 0.45 3000"
  "process-table 0.50 0.16 0.98 0.45 2500"
  "traffic-log 0.00 0.62 0.46 0.98 4000"
  "sequence-chart 0.50 0.57 0.98 0.98 1500")
set(failed "")
foreach(region IN LISTS regions)
  separate_arguments(r UNIX_COMMAND "${region}")
  list(GET r 0 name)
  list(SUBLIST r 1 5 numbers)
  execute_process(COMMAND ${CHECK} --populated ${WORKDIR}/debugger.png ${numbers}
                  RESULT_VARIABLE st OUTPUT_VARIABLE o)
  message("${name}: ${o}")
  if(NOT st EQUAL 0)
    list(APPEND failed ${name})
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "empty panels: ${failed}")
endif()
