-- --no-http turns the API off: no http global, and the programs say so.
-- moonbox-options: --no-http
-- expect-out: http off ok
local check = require("lib.check")
check.eq(http, nil, "http")
check.eq(package.loaded.http, nil, "package.loaded.http")
print("http off ok")
