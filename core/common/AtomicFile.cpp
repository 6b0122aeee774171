// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/AtomicFile.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace conclave {
namespace {

Error writeFailed(const std::string& path, int error)
{
    const bool full = error == ENOSPC || error == EDQUOT || error == EFBIG;
    return makeError(full ? "file.disk_full" : "file.unwritable",
                     "could not write " + path + " (" + std::strerror(error) + ")" +
                         (full ? ": the disk is full. Free some space and start again; nothing "
                                 "was left half-written."
                               : ". Check that the folder exists and that you may write to it."));
}

std::string directoryOf(const std::string& path)
{
    const auto slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

Result<std::string> AtomicFile::writeTemporary(const std::string& path, std::string_view content,
                                               mode_t mode)
{
    std::string temporary = path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0)
        return writeFailed(path, errno);
    auto fail = [&](int error) -> Error {
        ::close(fd);
        ::unlink(temporary.c_str());
        return writeFailed(path, error);
    };
    if (::fchmod(fd, mode) != 0)
        return fail(errno);
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(n < 0 ? errno : ENOSPC);
        done += static_cast<size_t>(n);
    }
    // Only bytes that reached the disk may take the real name.
    if (::fsync(fd) != 0)
        return fail(errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        return writeFailed(path, error);
    }
    return temporary;
}

void AtomicFile::syncDirectoryOf(const std::string& path)
{
    // The rename itself is only durable once the directory entry is on disk.
    const int dir = ::open(directoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        (void)::fsync(dir);
        ::close(dir);
    }
}

Result<void> AtomicFile::write(const std::string& path, std::string_view content, mode_t mode)
{
    auto temporary = writeTemporary(path, content, mode);
    if (!temporary)
        return temporary.error();
    if (::rename(temporary->c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temporary->c_str());
        return writeFailed(path, error);
    }
    syncDirectoryOf(path);
    return {};
}

Result<void> AtomicFile::create(const std::string& path, std::string_view content, mode_t mode)
{
    auto temporary = writeTemporary(path, content, mode);
    if (!temporary)
        return temporary.error();
    const int linked = ::link(temporary->c_str(), path.c_str());
    const int error = errno;
    ::unlink(temporary->c_str());
    if (linked != 0) {
        if (error == EEXIST)
            return makeError("file.exists", path + " already exists and was left as it was.");
        return writeFailed(path, error);
    }
    syncDirectoryOf(path);
    return {};
}

} // namespace conclave
