// Drawing a printed page as PNG (World::render_page), with the terminal's
// font: black ink on paper, one 6x9 cell per character, a margin around.
#pragma once

#include "vm/machine/World.h"

namespace moonbox {

bool save_page_png(const PrintedPage& page);

}  // namespace moonbox
