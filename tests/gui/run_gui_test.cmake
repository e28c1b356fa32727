# Launches the real window under Xvfb with a Lua program, takes a screenshot
# after a while, and checks its pixels.
#   -DMOONBOX=... -DCHECK=... -DPROGRAM=... -DEXPECT=... -DWORKDIR=...
file(REMOVE_RECURSE ${WORKDIR})
file(MAKE_DIRECTORY ${WORKDIR}/data)
find_program(XVFB_RUN xvfb-run REQUIRED)
execute_process(
  COMMAND ${XVFB_RUN} -a -s "-screen 0 1280x800x24"
          ${MOONBOX} --data-dir ${WORKDIR}/data --screenshot ${WORKDIR}/shot.png --quit-after 2 ${PROGRAM}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
message("moonbox: exit ${status}\n${out}${err}")
if(NOT status EQUAL 0 OR NOT EXISTS ${WORKDIR}/shot.png)
  message(FATAL_ERROR "moonbox did not produce a screenshot")
endif()
execute_process(COMMAND ${CHECK} ${WORKDIR}/shot.png ${EXPECT} RESULT_VARIABLE status OUTPUT_VARIABLE out)
message("${out}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "pixels differ from the palette")
endif()
