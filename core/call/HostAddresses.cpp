// SPDX-License-Identifier: GPL-3.0-or-later
#include "call/HostAddresses.h"

#include <QNetworkInterface>

namespace conclave::call {

QStringList hostAddresses()
{
    QStringList found;
    for (const QNetworkInterface& interface : QNetworkInterface::allInterfaces()) {
        const auto flags = interface.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) ||
            flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry& entry : interface.addressEntries()) {
            const QHostAddress address = entry.ip();
            if (address.isLoopback() || address.isLinkLocal())
                continue;
            found << address.toString();
        }
    }
    found.sort();
    return found;
}

} // namespace conclave::call
