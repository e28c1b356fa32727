# The floors of vm/ (kernel, machine, lua) may include only their own floor
# and the floors below it: moonbox_check_layers(VM_DIR) stops the configure
# step at the first include that points up (or out to the emulator), naming
# the file and the line. Run as a script (cmake -DVM_DIR=... -P Layers.cmake)
# it does the same check, for the layers.* tests.

# What each floor may not include.
set(MOONBOX_LAYER_FORBIDDEN_kernel "vm/machine/;vm/lua/;emulator/")
set(MOONBOX_LAYER_FORBIDDEN_machine "vm/lua/;emulator/")
set(MOONBOX_LAYER_FORBIDDEN_lua "emulator/")

function(moonbox_check_layers vm_dir)
  get_filename_component(vm_dir "${vm_dir}" ABSOLUTE)
  set(problems "")
  foreach(layer kernel machine lua)
    file(GLOB_RECURSE sources "${vm_dir}/${layer}/*.h" "${vm_dir}/${layer}/*.cpp")
    foreach(source ${sources})
      file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
      foreach(line ${includes})
        foreach(forbidden ${MOONBOX_LAYER_FORBIDDEN_${layer}})
          string(FIND "${line}" "\"${forbidden}" at)
          if(NOT at EQUAL -1)
            file(RELATIVE_PATH shown "${vm_dir}" "${source}")
            list(APPEND problems "vm/${shown}: ${line} (the ${layer} floor cannot include ${forbidden})")
          endif()
        endforeach()
      endforeach()
    endforeach()
  endforeach()
  if(problems)
    list(JOIN problems "\n  " text)
    message(FATAL_ERROR "An include points up a floor of vm/:\n  ${text}")
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE AND VM_DIR)
  moonbox_check_layers(${VM_DIR})
endif()
