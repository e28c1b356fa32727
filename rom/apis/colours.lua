-- colours: the British spelling of colors, with grey and lightGrey.
local colours = {}
for k, v in pairs(colors) do colours[k] = v end
colours.grey, colours.lightGrey = colours.gray, colours.lightGray
-- Loaded as CC loads an API file (os.loadAPI, or loadfile with an
-- environment of its own), its functions are that environment's globals too.
if _ENV ~= _G then for k, v in pairs(colours) do _ENV[k] = v end end
return colours
