// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <functional>

class QSocketNotifier;

namespace conclave::app {

/// Turns SIGTERM and SIGINT into a call on the Qt event loop. A signal handler may do almost
/// nothing safely, so it only writes a byte to a socket pair; the notifier on the other end
/// runs `onSignal` as ordinary code.
class ShutdownSignals : public QObject {
public:
    explicit ShutdownSignals(std::function<void(int)> onSignal, QObject* parent = nullptr);
    ~ShutdownSignals() override;

    /// False when the socket pair or the handlers could not be set up.
    bool installed() const { return m_notifier != nullptr; }

private:
    std::function<void(int)> m_onSignal;
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace conclave::app
