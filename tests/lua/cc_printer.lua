-- The printer peripheral: pages of 25x21, CC's errors outside a page, ink
-- and paper levels, and each finished page saved as text and PNG under
-- the world's printouts/<computer>/.
-- expect-out: done
-- expect-file: .moonbox/world/printouts/0/0001.txt Report
-- expect-file: .moonbox/world/printouts/0/0001.txt Hello, printer
-- expect-file: .moonbox/world/printouts/0/0002.txt second page
-- expect-file: .moonbox/world/printouts/0/0001.png PNG
local check = require("lib.check")

assert(periphemu.create("back", "printer"))
local p = peripheral.wrap("back")
local ink, paper = p.getInkLevel(), p.getPaperLevel()
check.truthy(ink > 0 and paper > 0, "a new printer has ink and paper")

-- outside a page
check.raises("Page not started", p.write, "x")
check.raises("Page not started", p.getCursorPos)
check.raises("Page not started", p.setCursorPos, 1, 1)
check.raises("Page not started", p.getPageSize)
check.raises("Page not started", p.endPage)

check.eq(p.newPage(), true)
check.eq(p.getPaperLevel(), paper - 1)
check.eq(p.getInkLevel(), ink - 1)
local w, h = p.getPageSize()
check.eq(w, 25)
check.eq(h, 21)
p.setPageTitle("Report")
p.setCursorPos(2, 3)
p.write("Hello, printer")
local x, y = p.getCursorPos()
check.eq(x, 16)
check.eq(y, 3)
p.write(12)
p.setCursorPos(20, 21)
p.write("cut off at the edge")
check.raises("bad argument #1 (number expected, got nil)", p.setCursorPos)
check.raises("bad argument #1 (string expected, got table)", p.write, {})
check.eq(p.endPage(), true)

-- newPage ends the page in progress
check.eq(p.newPage(), true)
p.write("second page")
check.eq(p.newPage(), true)
check.eq(p.endPage(), true)
print("done")
