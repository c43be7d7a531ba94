// history.jsonl: one event per line, as JSON. The schema is in
// docs/history.md; ordeal writes it and `ordeal check` reads any file that
// follows it, also one written by another tool.
//
//   HistoryWriter writer(file);            // streams events as they happen
//   writer.write(history, index);
//   auto loaded = read_history_jsonl("history.jsonl");
//   if (!loaded) std::cerr << loaded.error;   // names the file, line and field
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <variant>

#include "framework/history/history.h"

namespace ordeal {

// Renders one event as a JSON line (with its trailing newline).
std::string event_json(const History& history, size_t index);

// Writes every event of a history to `path`; false with `error` set on failure.
bool write_history_jsonl(const History& history, const std::string& path, std::string& error);

struct HistoryLoad {
  History history;
  std::string error;         // empty when the file was read completely
  size_t scanned_lines = 0;  // lines read by the layout scanner; simdjson read the others
  explicit operator bool() const { return error.empty(); }
};

// How lines are read: those in the exact layout ordeal writes by a scanner
// of that layout, any other through simdjson (the default); or every line
// through simdjson, to compare the two.
enum class LineScan : uint8_t { layout_first, json_only };

// Reads a whole file. On bad input, `error` names the file, line and field,
// and `history` holds every event before the bad line.
HistoryLoad read_history_jsonl(const std::string& path, LineScan scan = LineScan::layout_first);

}  // namespace ordeal
