local function explode(a)
  error("boom " .. a)
end
explode(7)
