-- import: waits for files dropped on the computer's window and saves them in
-- the current directory, as CC's (drag files from the host's file manager).
print("Drop files to transfer them to this computer")

local files
repeat
  local _, transfer = os.pullEvent("file_transfer")
  files = transfer.getFiles()
until files

if #files == 0 then
  printError("No files to transfer")
  return
end
require("cc.internal.import")(files)
