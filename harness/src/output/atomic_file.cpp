#include "railcheck/output/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "railcheck/core/error.h"

namespace railcheck {

std::string write_file_atomically(const std::filesystem::path& path, std::string_view text) noexcept {
  try {
    std::filesystem::path temporary = path;
    temporary += ".tmp." + std::to_string(getpid());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return "cannot create " + temporary.string() + ": " + std::strerror(errno);
    std::string error;
    for (std::size_t done = 0; done < text.size() && error.empty();) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error = "cannot write " + temporary.string() + ": " + std::strerror(errno);
      done += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    if (error.empty() && ::fsync(fd) != 0) error = "cannot sync " + temporary.string() + ": " + std::strerror(errno);
    if (::close(fd) != 0 && error.empty()) error = "cannot close " + temporary.string() + ": " + std::strerror(errno);
    if (error.empty() && ::rename(temporary.c_str(), path.c_str()) != 0) {
      error = "cannot rename " + temporary.string() + " to " + path.string() + ": " + std::strerror(errno);
    }
    if (!error.empty()) ::unlink(temporary.c_str());
    return error;
  } catch (const std::exception& e) {  // allocation
    return std::string("cannot write ") + path.string() + ": " + e.what();
  }
}

void check_output_file(const std::string& flag, const std::filesystem::path& file, const std::string& extension,
                       const std::string& why, const std::string& where) {
  if (file.extension() != extension) {
    throw InputError(flag + " " + file.string() + ": " + why + "; name it " + file.stem().string() + extension);
  }
  const std::filesystem::path dir = file.parent_path().empty() ? "." : file.parent_path();
  if (::access(dir.c_str(), W_OK) != 0) {
    throw InputError(flag + " " + file.string() + ": cannot write in " + dir.string() +
                     " (missing or not writable); choose a writable directory" + (where.empty() ? "" : ", " + where));
  }
}

}  // namespace railcheck
