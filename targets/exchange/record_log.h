// A node's durable log on disk: an append-only file of checksummed records,
// so that a live node killed with SIGKILL finds what it acknowledged when it
// starts again. The metadata leader's commits and an engine shard's applied
// requests go through one (durable_state.h says what they write).
//
//   RecordLog log;
//   LogContents got = log.open("OUT/cluster/engine-0/state.log", {});
//   if (!got.error.empty()) refuse to start, naming got.error;
//   for (const std::string& r : got.records) apply(r);
//   if (auto e = log.append(record); !e.empty()) ...   // written and fsynced
//   if (log.bytes() > limits.compact_bytes) log.rewrite({snapshot});
//
// A record on disk is a little-endian u32 payload length, a u64 FNV-1a
// checksum of the payload, then the payload. append() returns once the
// record is written and fsync()ed, so a caller that answers only after it
// never acknowledges what a crash can take back. A torn tail (a record cut
// short by a crash mid-write, or whose checksum fails and that ends the
// file) was never acknowledged: open() cuts it off and says so in `note`.
// A bad record followed by more data is corruption, not a crash: open()
// refuses it with an error naming the file and offset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ordeal::exchange {

struct RecordLogLimits {
  // append() refuses a record that would take the file past this; the owner
  // compacts (rewrite) long before.
  uint64_t file_bytes_max = 64ull << 20;
  uint32_t record_bytes_max = 16u << 20;
  bool fsync = true;  // false only in tests of the format
};

struct LogContents {
  std::vector<std::string> records;
  std::string note;   // what open() recovered deliberately (a torn tail cut off)
  std::string error;  // empty when the file was read (or created) whole
};

class RecordLog {
 public:
  static constexpr size_t kHeaderBytes = 12;

  RecordLog() = default;
  ~RecordLog();
  RecordLog(const RecordLog&) = delete;
  RecordLog& operator=(const RecordLog&) = delete;

  // Opens the file (creating it and its folder), reads every record, and
  // leaves it ready to append after the last good one.
  LogContents open(const std::string& path, RecordLogLimits limits);
  // Appends one record and flushes it to disk; an error message or empty.
  std::string append(std::string_view record);
  // Replaces the whole file by these records, atomically (a new file
  // fsynced and renamed over the old one): how the owner compacts.
  std::string rewrite(const std::vector<std::string>& records);

  bool is_open() const { return fd_ >= 0; }
  uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }
  const RecordLogLimits& limits() const { return limits_; }

 private:
  std::string write_all(int fd, std::string_view data, const std::string& path);
  void close_file();

  std::string path_;
  RecordLogLimits limits_;
  int fd_ = -1;
  uint64_t bytes_ = 0;
};

// The on-disk form of one record (header + payload): for tests that build
// files by hand.
std::string frame_record(std::string_view payload);

}  // namespace ordeal::exchange
