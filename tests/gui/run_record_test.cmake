# --record under Xvfb: a program that changes the screen ten times a second
# is recorded for 2.5 s; the GIF must hold the frames, with their timing.
#   -DMOONBOX=... -DCHECK_GIF=... -DPROGRAM=... -DWORKDIR=...
file(REMOVE_RECURSE ${WORKDIR})
file(MAKE_DIRECTORY ${WORKDIR}/data)
find_program(XVFB_RUN xvfb-run REQUIRED)
execute_process(
  COMMAND ${XVFB_RUN} -a -s "-screen 0 1280x800x24"
    ${MOONBOX} --data-dir ${WORKDIR}/data --record ${WORKDIR}/run.gif --quit-after 2.5 ${PROGRAM}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "moonbox failed (${status}): ${out}${err}")
endif()
execute_process(COMMAND ${CHECK_GIF} ${WORKDIR}/run.gif 10 ${WORKDIR}/last.png
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the recording is missing frames")
endif()
# The delays add up to the time recorded (about 2.5 s), within a second.
if(NOT out MATCHES ", ([0-9]+)\\.([0-9]+) s")
  message(FATAL_ERROR "no duration in: ${out}")
endif()
if(CMAKE_MATCH_1 LESS 2 OR CMAKE_MATCH_1 GREATER 3)
  message(FATAL_ERROR "the frame delays add up to ${CMAKE_MATCH_1}.${CMAKE_MATCH_2} s, not about 2.5 s")
endif()
