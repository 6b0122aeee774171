// SPDX-License-Identifier: GPL-3.0-or-later
#include "BenchMeeting.h"

#include "TestPaths.h"

#include <QDir>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>

namespace conclave::bench {

using testsupport::CliProcess;

namespace {

QString cli()
{
    return testsupport::binDir() + QStringLiteral("/conclave-cli");
}

} // namespace

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

QJsonObject distribution(const std::vector<double>& v)
{
    return {{"samples", int(v.size())},
            {"p50", percentile(v, 0.5)},
            {"p95", percentile(v, 0.95)},
            {"max", v.empty() ? 0 : *std::max_element(v.begin(), v.end())}};
}

void pump(const std::vector<CliProcess*>& all, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        QThread::msleep(20);
        for (CliProcess* p : all)
            p->poll();
    }
}

BenchBackend BenchBackend::embedded(const QString& dir)
{
    QDir().mkpath(dir + "/config");
    const QStringList common{"--config", dir + "/config", "--media-address", "127.0.0.1"};
    return {common, common};
}

BenchMeeting::BenchMeeting(const QString& dir, const QStringList& invitees, const QString& media,
                           BenchBackend backend)
    : m_dir(dir), m_media(media), m_backend(std::move(backend))
{
    QStringList args{"host",         "--title", "Bench", "--marking", "OFFICIAL", "--data",
                     dir + "/chair", "--name",  "Chair", "--media",   media};
    args << m_backend.hostArgs;
    for (const QString& name : invitees)
        args << "--invite" << name;
    chair = std::make_unique<CliProcess>(cli(), args);
    for (int i = 0; i < invitees.size(); ++i) {
        const QJsonObject invite = chair->waitFor("invite", 20000, [&](const QJsonObject& o) {
            return !m_links.contains(o.value("name").toString());
        });
        m_links[invite.value("name").toString()] = invite.value("link").toString();
    }
}

std::unique_ptr<CliProcess> BenchMeeting::knock(const QString& name)
{
    auto p = std::make_unique<CliProcess>(cli(), QStringList{"join", m_links.value(name), "--name",
                                                             name, "--data", m_dir + "/" + name,
                                                             "--media", m_media} +
                                                     m_backend.memberArgs);
    chair->waitFor("knock", 20000,
                   [&](const QJsonObject& o) { return o.value("name").toString() == name; });
    return p;
}

std::vector<std::unique_ptr<CliProcess>> BenchMeeting::admitAll(const QStringList& names)
{
    std::vector<std::unique_ptr<CliProcess>> people;
    for (const QString& name : names) {
        people.push_back(knock(name));
        chair->send({{"cmd", "admit"}, {"who", name}});
        people.back()->waitFor("epoch", 20000);
    }
    return people;
}

} // namespace conclave::bench
