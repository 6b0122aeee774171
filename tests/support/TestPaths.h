// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace conclave::testsupport {

/// tests/data in the source tree (CONCLAVE_TEST_DATA, set by CTest).
QString testDataDir();
/// The shared/ folder beside the checkout, or an empty string when it is absent.
QString sharedDir();
/// Where the built programs are (CONCLAVE_BIN_DIR, set by CTest).
QString binDir();
/// Reads a whole file; fails the current test (QFAIL-style message on stderr) when unreadable.
QByteArray readFile(const QString& path);

} // namespace conclave::testsupport
