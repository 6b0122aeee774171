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

/// Whether `p` printed, at or after line `from`, an `event` line with `key` == `value`.
bool saidSince(const CliProcess& p, qsizetype from, const char* event, const char* key,
               const QString& value)
{
    for (qsizetype i = from; i < p.lines().size(); ++i)
        if (const QJsonObject& line = p.lines()[i];
            line.value("event") == QLatin1String(event) &&
            line.value(QLatin1String(key)).toString() == value)
            return true;
    return false;
}

} // namespace

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

std::unique_ptr<CliProcess> BenchMeeting::knock(const QString& name,
                                                const std::vector<CliProcess*>& others)
{
    chair->poll();
    const qsizetype from = chair->lines().size();
    auto p = std::make_unique<CliProcess>(cli(), QStringList{"join", m_links.value(name), "--name",
                                                             name, "--data", m_dir + "/" + name,
                                                             "--media", m_media} +
                                                     m_backend.memberArgs);
    std::vector<CliProcess*> all = others;
    all.push_back(chair.get());
    all.push_back(p.get());
    QElapsedTimer waited;
    waited.start();
    while (!saidSince(*chair, from, "knock", "name", name) && waited.elapsed() < 20000)
        pump(all, 10);
    return p;
}

QElapsedTimer BenchMeeting::admit(const QString& name, CliProcess& newcomer,
                                  const std::vector<CliProcess*>& others)
{
    std::vector<CliProcess*> all = others;
    all.push_back(chair.get());
    all.push_back(&newcomer);
    QElapsedTimer total;
    total.start();
    while (total.elapsed() < 40000) {
        chair->poll();
        const qsizetype from = chair->lines().size();
        QElapsedTimer clicked;
        clicked.start();
        chair->send({{"cmd", "admit"}, {"who", name}});
        while (!saidSince(*chair, from, "error", "code", QLatin1String(kPaced)) &&
               total.elapsed() < 40000) {
            pump(all, 10);
            if (newcomer.has(QStringLiteral("epoch")))
                return clicked;
        }
        pump(all, 1000); // the pace allows another change soon
    }
    return {};
}

void BenchMeeting::awaitChairsClick(CliProcess& newcomer)
{
    pump({chair.get(), &newcomer}, kChairReactionMs);
}

std::vector<std::unique_ptr<CliProcess>> BenchMeeting::admitAll(const QStringList& names)
{
    std::vector<std::unique_ptr<CliProcess>> people;
    std::vector<CliProcess*> admitted; // kept reading while the others come in
    for (const QString& name : names) {
        people.push_back(knock(name, admitted));
        (void)admit(name, *people.back(), admitted);
        admitted.push_back(people.back().get());
    }
    return people;
}

} // namespace conclave::bench
