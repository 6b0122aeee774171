// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileAccess.h"

#include <QFile>
#include <QFileInfo>

namespace conclave::app {

Result<std::string> readFileLimited(const QString& path, qint64 maxBytes)
{
    const std::string p = path.toStdString();
    QFile file(path);
    if (!QFileInfo::exists(path))
        return makeError("file.missing", "the file " + p + " does not exist");
    if (!file.open(QIODevice::ReadOnly))
        return makeError("file.unreadable",
                         "cannot read " + p + ": " + file.errorString().toStdString());
    if (file.size() > maxBytes)
        return makeError("file.too_large", p + " is " + std::to_string(file.size()) +
                                               " bytes; the limit is " + std::to_string(maxBytes) +
                                               " bytes");
    const QByteArray bytes = file.read(maxBytes + 1);
    if (bytes.size() > maxBytes)
        return makeError("file.too_large",
                         p + " is larger than " + std::to_string(maxBytes) + " bytes");
    return bytes.toStdString();
}

Result<void> writeNewFile(const QString& path, const std::string& content, bool ownerOnly)
{
    const std::string p = path.toStdString();
    QFile file(path);
    if (file.exists())
        return makeError("file.exists",
                         p + " already exists; it was left unchanged (move it away first)");
    const auto perms =
        ownerOnly ? (QFile::ReadOwner | QFile::WriteOwner)
                  : (QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    if (!file.open(QIODevice::NewOnly | QIODevice::WriteOnly, perms))
        return makeError("file.unwritable",
                         "cannot create " + p + ": " + file.errorString().toStdString());
    const auto size = static_cast<qint64>(content.size());
    if (file.write(content.data(), size) != size || !file.flush())
        return makeError("file.unwritable",
                         "cannot write " + p + ": " + file.errorString().toStdString());
    return {};
}

} // namespace conclave::app
