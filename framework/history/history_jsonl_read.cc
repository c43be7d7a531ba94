// read_history_jsonl: streams a history file in blocks of whole lines, so
// that memory holds the events, not the text.
//
// Each line in the exact layout ordeal writes goes through the layout
// scanner (event_scan.h) straight into an event. From a line the scanner
// refuses, the run of refused lines after it (a bounded number) goes to
// simdjson, first through the fast path: one document stream over the run
// (iterate_many), one event per document. It checks that every document is
// exactly one line and commits an event only then. Anything unusual (a JSON
// error, a bad field, two objects on a line, an object over several lines,
// time going backwards, an op linked twice or to another kind; op_links.h)
// stops it at the start of that line, and the slow
// path parses the rest of the run line by line: it is the one that names the
// file, line and field of an error. Neither the scanner nor the fast path
// ever accepts a line that the slow path would reject.
#include <fmt/format.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "framework/history/event_fields.h"
#include "framework/history/event_scan.h"
#include "framework/history/history_jsonl.h"
#include "framework/history/op_links.h"

namespace ordeal {
namespace {

constexpr size_t kBlockBytes = size_t{1} << 20;
// A stream must see its whole block in one batch (no stage-1 thread, no
// document cut at a batch's end); lines carried over make a block a little
// larger than kBlockBytes.
constexpr size_t kBatchBytes = 2 * kBlockBytes;
// A line the scanner refuses takes at most this many refused lines after it
// to simdjson: enough that a file written by another tool goes through
// simdjson in runs, few enough that one odd line in ordeal's own file costs
// little.
constexpr size_t kJsonRunLinesMax = 1024;
// Far beyond any event (a few hundred bytes): a longer line means the file
// is not JSON lines (or never ends, like /dev/zero), and is refused rather
// than held in memory whole.
constexpr size_t kLineBytesMax = size_t{16} << 20;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

class JsonlReader {
 public:
  JsonlReader(const std::string& path, FILE* file, HistoryLoad& load, LineScan scan)
      : path_(path), file_(file), load_(load), scan_(scan) {}

  void read_all();

 private:
  size_t next_block();
  bool parse_block(size_t size);
  size_t scan_lines(size_t from, size_t size);
  size_t refused_run_end(size_t from, size_t size);
  bool parse_json(size_t from, size_t size);
  size_t parse_fast(const char* text, size_t size);
  bool parse_slow(const char* text, size_t size, size_t from);
  std::optional<FieldError> parse_line(const char* line, size_t size, size_t capacity,
                                       Event& event);
  void skip_blank_lines(const char* text, size_t start, size_t& line_start);
  bool ends_its_line(const char* text, size_t doc_start, size_t next_start, size_t& lines,
                     size_t& next_line_start) const;
  std::optional<FieldError> commit(const Event& event);

  const std::string& path_;
  FILE* file_;
  HistoryLoad& load_;
  LineScan scan_;
  ScannedLine scanned_;
  simdjson::ondemand::parser parser_;
  std::vector<char> buffer_;  // a block of text, then simdjson's padding
  size_t text_size_ = 0;      // bytes of text in the buffer
  size_t kept_ = 0;           // bytes of an unfinished line carried to the next block
  bool end_of_file_ = false;
  size_t lines_done_ = 0;  // lines before the current position
  int64_t last_time_us_ = 0;
  OpLinks links_;
};

void JsonlReader::read_all() {
  while (!end_of_file_) {
    const size_t complete = next_block();
    if (complete == 0 && text_size_ > kLineBytesMax) {
      load_.error = fmt::format("{}:{}: a line of more than {} bytes: not a history", path_,
                                lines_done_ + 1, kLineBytesMax);
      return;
    }
    if (!parse_block(complete)) return;
    kept_ = text_size_ - complete;
    std::memmove(buffer_.data(), buffer_.data() + complete, kept_);
  }
  if (std::ferror(file_)) load_.error = fmt::format("{}: read failed", path_);
}

// Reads the next block after the carried bytes; returns how many bytes of
// the buffer are whole lines.
size_t JsonlReader::next_block() {
  buffer_.resize(kept_ + kBlockBytes + 1 + simdjson::SIMDJSON_PADDING);
  const size_t got = std::fread(buffer_.data() + kept_, 1, kBlockBytes, file_);
  size_t size = kept_ + got;
  end_of_file_ = got < kBlockBytes;
  if (end_of_file_ && size > 0 && buffer_[size - 1] != '\n') buffer_[size++] = '\n';
  std::memset(buffer_.data() + size, ' ', buffer_.size() - size);
  text_size_ = size;
  const void* last = memrchr(buffer_.data(), '\n', size);
  return last == nullptr ? 0 : static_cast<const char*>(last) - buffer_.data() + 1;
}

// Parses buffer_[0, size) (whole lines); false on an error, with
// load_.error set.
bool JsonlReader::parse_block(size_t size) {
  size_t from = 0;
  while (from < size) {  // each round takes at least one line
    if (scan_ == LineScan::layout_first) from = scan_lines(from, size);
    if (from == size) break;
    const size_t run_end = scan_ == LineScan::json_only ? size : refused_run_end(from, size);
    if (!parse_json(from, run_end)) return false;
    from = run_end;
  }
  return true;
}

// The scanner over the lines from `from`: returns the start of the first
// line it refuses, or `size`. A line whose time goes backwards is refused
// too, so that simdjson's slow path reports it.
size_t JsonlReader::scan_lines(size_t from, size_t size) {
  const char* text = buffer_.data();
  while (from < size) {
    if (text[from] != '\n') {  // an empty line holds no event
      const char* next = scan_event_line(text + from, text + size, scanned_);
      if (next == nullptr || scanned_.event.time_us < last_time_us_) return from;
      if (links_.add(scanned_.event, load_.history.size())) return from;
      const Event event = scanned_.resolve(load_.history);
      last_time_us_ = event.time_us;
      load_.history.append(event);
      ++load_.scanned_lines;
      from = static_cast<size_t>(next - text);
    } else {
      ++from;
    }
    ++lines_done_;
  }
  return size;
}

// Where the run of refused lines that starts at `from` ends: at the next
// line the scanner takes, after kJsonRunLinesMax lines, or at `size`.
size_t JsonlReader::refused_run_end(size_t from, size_t size) {
  const char* text = buffer_.data();
  for (size_t lines = 0; from < size && lines < kJsonRunLinesMax; ++lines) {
    if (lines > 0 && scan_event_line(text + from, text + size, scanned_) != nullptr) break;
    from = static_cast<const char*>(std::memchr(text + from, '\n', size - from)) - text + 1;
  }
  return from;
}

// simdjson over buffer_[from, size) (whole lines): the fast path, then the
// slow one from where it stopped.
bool JsonlReader::parse_json(size_t from, size_t size) {
  const size_t fast = from + parse_fast(buffer_.data() + from, size - from);
  return fast == size || parse_slow(buffer_.data(), size, fast);
}

// Counts the blank lines before the first document at `start`.
void JsonlReader::skip_blank_lines(const char* text, size_t start, size_t& line_start) {
  for (size_t i = line_start; i < start; ++i) {
    if (text[i] != '\n') continue;
    ++lines_done_;
    line_start = i + 1;
  }
}

// Whether the document at doc_start ends the line it is on, with only blank
// space (and blank lines) up to next_start; counts those lines.
bool JsonlReader::ends_its_line(const char* text, size_t doc_start, size_t next_start,
                                size_t& lines, size_t& next_line_start) const {
  const void* found = std::memchr(text + doc_start, '\n', next_start - doc_start);
  if (found == nullptr) return false;  // the next document is on the same line
  lines = 0;
  for (size_t i = static_cast<const char*>(found) - text; i < next_start; ++i) {
    if (!is_blank(text[i])) return false;  // the document went on past its line
    if (text[i] == '\n') {
      ++lines;
      next_line_start = i + 1;
    }
  }
  return true;
}

std::optional<FieldError> JsonlReader::commit(const Event& event) {
  if (event.time_us < 0) return FieldError{"time_us", fmt::format("{} is negative", event.time_us)};
  if (event.op == 0 && needs_op(event.type)) {
    return FieldError{
        "op", fmt::format("missing: {} needs the op that links it (1 to {})",
                          event.type == EventType::invoke ? "an invoke" : "a completion", kOpMax)};
  }
  if (event.time_us < last_time_us_) {
    return FieldError{"time_us",
                      fmt::format("goes backwards ({} after {})", event.time_us, last_time_us_)};
  }
  if (auto error = links_.add(event, load_.history.size())) return error;
  last_time_us_ = event.time_us;
  load_.history.append(event);
  return std::nullopt;
}

// The fast path over text[0, size) (whole lines): returns where it stopped,
// always at the start of a line; `size` when it took everything.
size_t JsonlReader::parse_fast(const char* text, size_t size) {
  simdjson::ondemand::document_stream stream;
  if (size == 0 || parser_.iterate_many(text, size, std::max(size, kBatchBytes)).get(stream)) {
    return 0;
  }
  size_t line_start = 0;  // where the pending event's line starts
  size_t pending_start = 0;
  bool has_pending = false;
  Event pending;
  auto settle = [&](size_t next_start) {
    size_t lines = 0, next_line_start = line_start;
    if (!ends_its_line(text, pending_start, next_start, lines, next_line_start)) return false;
    if (commit(pending)) return false;
    lines_done_ += lines;
    line_start = next_line_start;
    return true;
  };
  for (auto it = stream.begin(); it != stream.end(); ++it) {
    auto doc = *it;
    const size_t start = it.current_index();
    if (has_pending && !settle(start)) return line_start;
    if (!has_pending) skip_blank_lines(text, start, line_start);
    has_pending = false;
    if (doc.error()) return line_start;
    auto object = doc.get_object();
    pending = Event{};
    bool has_type = false;
    if (object.error() ||
        read_event_fields(object.value_unsafe(), load_.history, pending, has_type) || !has_type) {
      return line_start;
    }
    pending_start = start;
    has_pending = true;
  }
  if (has_pending && !settle(size)) return line_start;
  if (!has_pending) return line_start;  // nothing or only blank lines: the slow path counts them
  return size;
}

// One line on its own. `capacity` is how many bytes may be read from `line`
// (the rest of the buffer and its padding).
std::optional<FieldError> JsonlReader::parse_line(const char* line, size_t size, size_t capacity,
                                                  Event& event) {
  simdjson::ondemand::document doc;
  if (auto error = parser_.iterate(line, size, capacity).get(doc)) {
    return FieldError{"", simdjson::error_message(error)};
  }
  auto object = doc.get_object();
  // Another kind of value, or an object that does not end on its line (a
  // line cut short): simdjson's words say which.
  if (object.error() == simdjson::INCORRECT_TYPE) return FieldError{"", "expected a JSON object"};
  if (object.error()) return FieldError{"", simdjson::error_message(object.error())};
  bool has_type = false;
  if (auto error = read_event_fields(object.value_unsafe(), load_.history, event, has_type)) {
    return error;
  }
  // Once the object is read, anything but the end is a second value.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
    return FieldError{"", "more than one JSON value on the line"};
  if (!has_type) return FieldError{"type", "missing"};
  return std::nullopt;
}

// The slow path over text[from, size): false on an error, with load_.error set.
bool JsonlReader::parse_slow(const char* text, size_t size, size_t from) {
  const size_t capacity_end = buffer_.size();
  while (from < size) {
    ++lines_done_;
    const size_t end = static_cast<const char*>(std::memchr(text + from, '\n', size - from)) - text;
    const std::string_view line(text + from, end - from);
    const size_t capacity = capacity_end - from;
    from = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Event event;
    auto error = parse_line(line.data(), line.size(), capacity, event);
    if (!error) error = commit(event);
    if (error) {
      load_.error = fmt::format("{}:{}: {}{}{}", path_, lines_done_, error->field,
                                error->field.empty() ? "" : ": ", error->message);
      return false;
    }
  }
  return true;
}

}  // namespace

HistoryLoad read_history_jsonl(const std::string& path, LineScan scan) {
  HistoryLoad load;
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "r"), &std::fclose);
  if (!file) {
    load.error = fmt::format("{}: cannot read: {}", path, std::strerror(errno));
    return load;
  }
  struct stat info {};
  if (fstat(fileno(file.get()), &info) == 0 && S_ISDIR(info.st_mode)) {
    load.error = fmt::format("{}: cannot read: is a directory", path);
    return load;
  }
  // Room for the events in one allocation: lines are rarely under 40 bytes,
  // and the pages of the reserve that no event uses are never touched, so
  // they cost address space, not memory. Growing instead would hold the old
  // and the new array at once. Only a regular file's size says anything.
  if (S_ISREG(info.st_mode) && info.st_size > 0) {
    load.history.reserve(static_cast<size_t>(info.st_size) / 40 + 16);
  }
  JsonlReader(path, file.get(), load, scan).read_all();
  return load;
}

}  // namespace ordeal
