// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/KeyFileProtector.h"

#include "crypto/SecretBox.h"
#include "storage/StorageLog.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace conclave::storage {
namespace {

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

std::string octal(mode_t mode)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

} // namespace

KeyFileProtector::KeyFileProtector(std::string keyFilePath) : m_path(std::move(keyFilePath)) {}

std::string KeyFileProtector::defaultPathFor(const std::string& databasePath)
{
    return databasePath + ".key";
}

std::string KeyFileProtector::location() const
{
    return "the key file " + m_path;
}

Result<WrappingKey> KeyFileProtector::createWrappingKey(const crypto::Ed25519PublicKey&)
{
    auto key = writeNewKey();
    if (!key && key.error().code == "storage.key_file_exists")
        key = readKey();
    if (!key)
        return key.error();
    return WrappingKey{std::move(*key), {}};
}

Result<crypto::SecureBuffer> KeyFileProtector::recoverWrappingKey(const crypto::Ed25519PublicKey&,
                                                                  const KeyDerivation&)
{
    return readKey();
}

Result<crypto::SecureBuffer> KeyFileProtector::writeNewKey() const
{
    FileDescriptor fd(
        ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR));
    if (fd.get() < 0) {
        if (errno == EEXIST)
            return makeError("storage.key_file_exists", "the key file already exists");
        return makeError("storage.key_file_unwritable", "Conclave could not create the key file " +
                                                            m_path + " (" + std::strerror(errno) +
                                                            "). Check that you may write there.");
    }
    auto key = crypto::SecureBuffer::random(crypto::SecretBox::kKeySize);
    // Only a complete, flushed key may be used: an identity sealed under a key that never
    // reached the disk could not be opened again.
    const ssize_t written = ::write(fd.get(), key.data(), key.size());
    if (written != static_cast<ssize_t>(key.size()) || ::fsync(fd.get()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(m_path.c_str());
        return makeError("storage.key_file_unwritable",
                         "Conclave could not write the key file " + m_path + " (" + reason + ").");
    }
    qCDebug(lcStorage, "created identity key file %s", m_path.c_str());
    return key;
}

Result<crypto::SecureBuffer> KeyFileProtector::readKey() const
{
    FileDescriptor fd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT)
            return makeError("storage.key_file_missing",
                             "The key file " + m_path +
                                 " that unlocks this device's Conclave identity is missing. "
                                 "Nothing was changed. Restore the key file from a backup.");
        return makeError("storage.key_file_unreadable", "Conclave could not read the key file " +
                                                            m_path + " (" + std::strerror(errno) +
                                                            ").");
    }
    // Checked on the open descriptor, so the file cannot be swapped between check and read.
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return makeError("storage.key_file_invalid",
                         "The key file " + m_path + " is not a regular file. Nothing was changed.");
    if (st.st_uid != ::geteuid())
        return makeError("storage.key_file_insecure",
                         "The key file " + m_path +
                             " belongs to another user, so Conclave will not trust it. Nothing was "
                             "changed. Make it yours (chown) and run: chmod 600 " +
                             m_path);
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
        return makeError("storage.key_file_insecure",
                         "The key file " + m_path + " has permissions " + octal(st.st_mode) +
                             ", so other users of this computer may read or replace it. Conclave "
                             "will not use it. Nothing was changed. Run: chmod 600 " +
                             m_path);
    if (st.st_size != static_cast<off_t>(crypto::SecretBox::kKeySize))
        return makeError("storage.key_file_invalid",
                         "The key file " + m_path + " is " + std::to_string(st.st_size) +
                             " bytes long instead of 32, so it is not a Conclave key file or it "
                             "was damaged. Nothing was changed. Restore it from a backup.");
    crypto::SecureBuffer key(crypto::SecretBox::kKeySize);
    if (::read(fd.get(), key.data(), key.size()) != static_cast<ssize_t>(key.size()))
        return makeError("storage.key_file_unreadable",
                         "Conclave could not read all of the key file " + m_path + ".");
    return key;
}

} // namespace conclave::storage
