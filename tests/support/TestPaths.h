// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace conclave::testsupport {

/// tests/data in the source tree, compiled in (CONCLAVE_TEST_DATA_DIR): every file a test
/// reads is in the repository, so a test run by hand or in a fresh clone finds it too.
QString testDataDir();
/// Where the built programs are (CONCLAVE_BIN_DIR, set by CTest).
QString binDir();
/// Reads a whole file; fails the current test (QFAIL-style message on stderr) when unreadable.
QByteArray readFile(const QString& path);

} // namespace conclave::testsupport
