// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A test process in a network namespace of its own, and the tools it uses there (ip, nft).
// Test code only; needs root.

#include <QString>
#include <QStringList>

namespace conclave::testsupport {

/// Moves this process into a new network namespace with only `lo` (up): call it first in
/// main(), before any thread exists (a namespace is per thread; threads and processes started
/// later inherit it). Every address, veth and nftables rule the test makes afterwards lives in
/// that namespace and goes with the process, even when the test crashes: nothing is left on the
/// machine's own network. An empty string on success, otherwise what went wrong.
QString enterOwnNetworkNamespace();

/// Runs `ip args...`: an empty string on success, otherwise the command and its error output.
QString runIp(const QStringList& args);

/// Loads `ruleset` with `nft -f` into this process's namespace: an empty string on success.
QString applyNftables(const QString& ruleset);

/// Packets counted so far by the named counter `counter` of table `inet table` (-1 when it
/// cannot be read).
qint64 nftCounterPackets(const QString& table, const QString& counter);

} // namespace conclave::testsupport
