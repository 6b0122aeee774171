// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Ed25519.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace conclave::storage {
class AuditLog;
}

namespace conclave::ui {

/// This device's audit log (hash-chained, signed): the newest entries and whether the chain
/// verifies against the device key. Read-only: nothing here can change the log.
class AuditDialog : public QDialog {
    Q_OBJECT

public:
    static constexpr int kShownEntries = 500;

    AuditDialog(storage::AuditLog& log, crypto::Ed25519PublicKey deviceKey,
                QWidget* parent = nullptr);

    void reload();
    int rowCount() const;
    QString verificationText() const;

private:
    storage::AuditLog& m_log;
    crypto::Ed25519PublicKey m_deviceKey;
    QLabel* m_verification;
    QTableWidget* m_table;
};

} // namespace conclave::ui
