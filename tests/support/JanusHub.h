// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CliProcess.h"
#include "JanusProcess.h"
#include "PolicyFixture.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace conclave::testsupport {

/// A hub+janus backend on this machine, for process tests and benchmarks: `instances` Janus
/// processes (each in its own network namespace, wss with a pinned key), a signed policy whose
/// backend `sfu` lists the hub and every instance with their pins, and conclave-hub running
/// with that policy and the instances (--janus). Members run conclave-cli with memberArgs().
/// Everything is stopped and removed when the object goes.
class JanusHub {
public:
    explicit JanusHub(int instances = 1);
    /// Starts it all and waits until the hub reports every instance ready: "" or what failed.
    QString start();

    /// --config, --media-address ... for a conclave-cli member; `host` adds --backend, --hub
    /// and --pin for the chair.
    QStringList memberArgs(bool host) const;
    QString hubUrl() const { return m_hubUrl; }
    QString hubPin() const { return m_hubPin; }
    CliProcess& hub() { return *m_hub; }
    JanusProcess& janus(int i) { return *m_janus.at(size_t(i)); }
    int instances() const { return int(m_janus.size()); }
    QString path(const QString& name) const { return m_dir.path() + '/' + name; }

private:
    QString writePolicy();
    QString writeInstanceList();

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<JanusProcess>> m_janus;
    PolicyFixture m_authority;
    QString m_config;
    QString m_hubPin;
    QString m_hubUrl;
    std::unique_ptr<CliProcess> m_hub;
};

} // namespace conclave::testsupport
