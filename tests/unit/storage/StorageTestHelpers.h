// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <functional>

namespace conclave::storage::test {

/// Runs SQL through a plain SQLite connection of its own, as another program (or someone with
/// access to the file) would; returns an empty string on success, else SQLite's message.
QString rawExec(const QString& path, const QString& sql);

QByteArray fileBytes(const QString& path);
bool writeFileBytes(const QString& path, const QByteArray& bytes);
/// Names of the files in a directory, sorted (to see that nothing appeared beside a file).
QStringList filesIn(const QString& dir);

/// Runs `work` as a user file permissions bind: directly when not root; as root, in a child
/// process that has become "nobody" (uid/gid 65534), whose text result comes back through a
/// pipe. Paths it touches must be reachable by that user.
QString asAnotherUser(const std::function<QString()>& work);

} // namespace conclave::storage::test
