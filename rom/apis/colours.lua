-- colours: the British spelling of colors, with grey and lightGrey.
local colours = {}
for k, v in pairs(colors) do colours[k] = v end
colours.grey, colours.lightGrey = colours.gray, colours.lightGray
return colours
