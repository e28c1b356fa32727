# Launches the real window under Xvfb, takes a screenshot, and checks its
# pixels (-DEXPECT) or that a region is drawn (-DPOPULATED). -DEXTRA_OPTIONS
# go before PROGRAM (--debugger). Either runs PROGRAM for 2 s, or runs DRIVER (a script that starts
# moonbox itself and types into it with xdotool).
#   -DMOONBOX=... -DCHECK=... (-DPROGRAM=... | -DDRIVER=...) -DEXPECT=... -DWORKDIR=...
file(REMOVE_RECURSE ${WORKDIR})
file(MAKE_DIRECTORY ${WORKDIR}/data)
find_program(XVFB_RUN xvfb-run REQUIRED)
if(DRIVER)
  set(command ${DRIVER} ${MOONBOX} ${WORKDIR} ${DRIVER_ARGS})
else()
  set(command ${MOONBOX} ${EXTRA_OPTIONS} --data-dir ${WORKDIR}/data --screenshot ${WORKDIR}/shot.png --quit-after 2
      --frame-stats ${PROGRAM})
endif()
execute_process(
  COMMAND ${XVFB_RUN} -a -s "-screen 0 1280x800x24" ${command}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 100)
message("moonbox: exit ${status}\n${out}${err}")
if(NOT status EQUAL 0 OR NOT EXISTS ${WORKDIR}/shot.png)
  message(FATAL_ERROR "moonbox did not produce a screenshot")
endif()
# -DMIN_FRAMES=N: the window drew at least N frames (--frame-stats), e.g.
# while the program was stuck in a C call for the whole run.
if(MIN_FRAMES)
  if(NOT out MATCHES "frames ([0-9]+)")
    message(FATAL_ERROR "no frame statistics")
  endif()
  if(CMAKE_MATCH_1 LESS MIN_FRAMES)
    message(FATAL_ERROR "the window drew ${CMAKE_MATCH_1} frames, fewer than ${MIN_FRAMES}: it froze")
  endif()
endif()
# -DMAX_BUSY=N: at most N frames showed the busy screen (--frame-stats).
if(DEFINED MAX_BUSY)
  if(NOT out MATCHES "busy ([0-9]+)")
    message(FATAL_ERROR "no busy-frame count")
  endif()
  if(CMAKE_MATCH_1 GREATER MAX_BUSY)
    message(FATAL_ERROR "${CMAKE_MATCH_1} frames showed the busy screen, more than ${MAX_BUSY}")
  endif()
endif()
if(EXPECT)
  execute_process(COMMAND ${CHECK} ${WORKDIR}/shot.png ${EXPECT} RESULT_VARIABLE status OUTPUT_VARIABLE out)
  message("${out}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "pixels differ from the palette")
  endif()
endif()
# -DPOPULATED="X0 Y0 X1 Y1 MIN": that region of the screenshot (fractions)
# holds at least MIN drawn pixels (for a window whose scale is not whole).
if(POPULATED)
  separate_arguments(region UNIX_COMMAND "${POPULATED}")
  execute_process(COMMAND ${CHECK} --populated ${WORKDIR}/shot.png ${region} RESULT_VARIABLE status OUTPUT_VARIABLE out)
  message("${out}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the region ${POPULATED} is empty")
  endif()
endif()
# Another window's screenshot (a monitor's, a second computer's), checked the
# same way: -DEXTRA_SHOT=shot-monitor-top-0.png -DEXTRA_EXPECT=...
if(EXTRA_SHOT)
  if(NOT EXISTS ${WORKDIR}/${EXTRA_SHOT})
    message(FATAL_ERROR "no screenshot ${EXTRA_SHOT} of the other window")
  endif()
  execute_process(COMMAND ${CHECK} ${WORKDIR}/${EXTRA_SHOT} ${EXTRA_EXPECT} RESULT_VARIABLE status OUTPUT_VARIABLE out)
  message("${out}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "pixels of ${EXTRA_SHOT} differ from the palette")
  endif()
endif()
