// A scanner for the exact line layout that ordeal itself writes to
// history.jsonl (event_json: fixed key order, no spaces, no escapes, ASCII
// text). It reads such a line straight into an Event, without a JSON parser.
// Any other line, even a valid one, is refused as a whole, and the reader
// hands it to simdjson, which accepts any key order and names the field of
// an error. The scanner never guesses: a line it takes gives the same event
// as simdjson would.
//
//   ScannedLine scanned;
//   if (const char* next = scan_event_line(line, text_end, scanned)) {  // no side effects
//     history.append(scanned.resolve(history));
//     line = next;
//   }
#pragma once

#include <optional>
#include <string_view>

#include "framework/history/history.h"

namespace ordeal {

// A line taken apart: the event without its strings, and the strings and
// record still to be added to the history (only once the whole line matched,
// so that a refused line leaves the history as it was).
struct ScannedLine {
  Event event;
  std::string_view order;
  std::string_view shared;  // symbol, reason or fault: whichever the type has
  std::optional<exchange::Instrument> record;

  // Interns the strings (the order first, in line order, as simdjson meets
  // them) and adds the record: the event, ready to append.
  Event resolve(History& history) const;
};

// Whether the line at `line` (text that ends before `text_end`) is exactly
// in ordeal's own layout, newline included: where the next line starts, or
// null. It finds the end of the line itself: no value of the layout can
// hold a newline, so a scan never runs past it.
const char* scan_event_line(const char* line, const char* text_end, ScannedLine& out);

}  // namespace ordeal
