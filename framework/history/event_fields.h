// Reads one history.jsonl object into an Event: the fields of docs/history.md,
// each checked for its type and value. Only history_jsonl_read.cc includes
// this (it brings simdjson with it).
//
//   Event event;
//   bool has_type = false;
//   if (auto error = read_event_fields(object, history, event, has_type)) ...
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>

#include "framework/history/history.h"

namespace ordeal {

struct FieldError {
  std::string field;  // empty when the line as a whole is wrong
  std::string message;
};

// Fills `event` (interning its strings and adding its record into `history`);
// unknown fields are an error: a typo must not silently drop data a property
// needs. So are a field of another type of event, a field given twice and,
// once the type is known, a missing required one (docs/history.md).
// `has_type` tells whether the object named its type.
std::optional<FieldError> read_event_fields(simdjson::ondemand::object object, History& history,
                                            Event& event, bool& has_type);

}  // namespace ordeal
