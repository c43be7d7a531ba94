#include "targets/exchange/record_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "framework/base/rng.h"

namespace ordeal::exchange {
namespace {

uint32_t read_u32(const char* p) {
  uint32_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}
uint64_t read_u64(const char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string errno_text(const std::string& what, const std::string& path) {
  return fmt::format("{} {}: {}", what, path, std::strerror(errno));
}

// Makes a rename or a new file in `dir` durable.
void fsync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

struct Parsed {
  size_t good_bytes = 0;  // where the last whole record ends
  std::string bad;        // why parsing stopped early, or empty
};

// Splits the file's bytes into records, stopping at the first bad one.
Parsed parse(std::string_view data, const RecordLogLimits& limits,
             std::vector<std::string>& records) {
  Parsed p;
  while (p.good_bytes < data.size()) {
    const std::string_view rest = data.substr(p.good_bytes);
    if (rest.size() < RecordLog::kHeaderBytes) {
      p.bad = "a record header cut short";
      return p;
    }
    const uint32_t length = read_u32(rest.data());
    if (length > limits.record_bytes_max) {
      p.bad = fmt::format("a record length of {} bytes", length);
      return p;
    }
    if (rest.size() < RecordLog::kHeaderBytes + length) {
      p.bad = "a record cut short";
      return p;
    }
    const std::string_view payload = rest.substr(RecordLog::kHeaderBytes, length);
    if (hash_name(payload) != read_u64(rest.data() + 4)) {
      p.bad = "a record whose checksum fails";
      // Only a record that ends the file can be a torn write.
      if (rest.size() != RecordLog::kHeaderBytes + length) p.bad += " before more data";
      return p;
    }
    records.emplace_back(payload);
    p.good_bytes += RecordLog::kHeaderBytes + length;
  }
  return p;
}

}  // namespace

std::string frame_record(std::string_view payload) {
  std::string out(RecordLog::kHeaderBytes, '\0');
  const auto length = static_cast<uint32_t>(payload.size());
  const uint64_t sum = hash_name(payload);
  std::memcpy(out.data(), &length, sizeof length);
  std::memcpy(out.data() + 4, &sum, sizeof sum);
  out.append(payload);
  return out;
}

RecordLog::~RecordLog() { close_file(); }

void RecordLog::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

LogContents RecordLog::open(const std::string& path, RecordLogLimits limits) {
  close_file();
  path_ = path;
  limits_ = limits;
  LogContents out;
  std::error_code ec;
  const std::filesystem::path file(path);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  if (ec) {
    out.error = fmt::format("cannot create the folder of {}: {}", path, ec.message());
    return out;
  }
  const uint64_t size =
      std::filesystem::exists(file, ec) ? std::filesystem::file_size(file, ec) : 0;
  if (size > limits.file_bytes_max) {
    out.error =
        fmt::format("{}: {} bytes, more than the bound of {}", path, size, limits.file_bytes_max);
    return out;
  }
  std::string data;
  if (size > 0) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    data = buffer.str();
  }
  const Parsed parsed = parse(data, limits, out.records);
  if (parsed.bad.find("before more data") != std::string::npos) {
    out.error = fmt::format("{}: corrupt at byte {} ({}): refusing to guess what it held", path,
                            parsed.good_bytes, parsed.bad);
    out.records.clear();
    return out;
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    out.error = errno_text("cannot open", path);
    return out;
  }
  if (!parsed.bad.empty()) {
    // A torn tail: the crash came mid-append, before the fsync that would
    // have let the node acknowledge it. Cut it off so appends follow good data.
    if (::ftruncate(fd_, static_cast<off_t>(parsed.good_bytes)) != 0 || ::fsync(fd_) != 0) {
      out.error = errno_text("cannot cut the torn tail of", path);
      close_file();
      return out;
    }
    out.note = fmt::format("{}: cut off a torn tail of {} bytes at byte {} ({})", path,
                           data.size() - parsed.good_bytes, parsed.good_bytes, parsed.bad);
  }
  bytes_ = parsed.good_bytes;
  if (::lseek(fd_, static_cast<off_t>(bytes_), SEEK_SET) < 0) out.error = errno_text("seek", path);
  if (file.has_parent_path()) fsync_dir(file.parent_path().string());
  return out;
}

std::string RecordLog::write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return errno_text("cannot write", path);
    data.remove_prefix(static_cast<size_t>(n));
  }
  if (limits_.fsync && ::fdatasync(fd) != 0) return errno_text("cannot fsync", path);
  return "";
}

std::string RecordLog::append(std::string_view record) {
  if (fd_ < 0) return "the log is not open";
  if (record.size() > limits_.record_bytes_max)
    return fmt::format("{}: a record of {} bytes is over the bound", path_, record.size());
  const std::string framed = frame_record(record);
  if (bytes_ + framed.size() > limits_.file_bytes_max)
    return fmt::format("{}: full ({} bytes, bound {})", path_, bytes_, limits_.file_bytes_max);
  if (std::string e = write_all(fd_, framed, path_); !e.empty()) {
    close_file();  // a half-written record must not have good records after it
    return e;
  }
  bytes_ += framed.size();
  return "";
}

std::string RecordLog::rewrite(const std::vector<std::string>& records) {
  if (fd_ < 0) return "the log is not open";
  std::string data;
  for (const std::string& record : records) data += frame_record(record);
  if (data.size() > limits_.file_bytes_max)
    return fmt::format("{}: a compacted state of {} bytes is over the bound", path_, data.size());
  const std::string temp = path_ + ".new";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_text("cannot create", temp);
  std::string e = write_all(fd, data, temp);
  ::close(fd);
  if (e.empty() && ::rename(temp.c_str(), path_.c_str()) != 0)
    e = errno_text("cannot rename", temp);
  if (!e.empty()) return e;
  const std::filesystem::path file(path_);
  if (file.has_parent_path()) fsync_dir(file.parent_path().string());
  close_file();
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) return errno_text("cannot reopen", path_);
  bytes_ = data.size();
  return "";
}

}  // namespace ordeal::exchange
