// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace conclave::call {

/// This machine's addresses that media could use (interfaces up, not loopback, not IPv6
/// link-local), sorted: two calls that differ mean the member's network changed (another
/// Wi-Fi, a cable, a VPN), so media links to the others must be made anew (docs/media.md
/// "Links after a network change").
QStringList hostAddresses();

} // namespace conclave::call
