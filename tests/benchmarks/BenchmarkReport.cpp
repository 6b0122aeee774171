// SPDX-License-Identifier: GPL-3.0-or-later
#include "BenchmarkReport.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include <unistd.h>
#include <vector>

namespace conclave::bench {

QJsonObject Timing::toJson() const
{
    return {{QStringLiteral("ns_per_op"), nsPerOp},
            {QStringLiteral("min_ns_per_op"), minNsPerOp},
            {QStringLiteral("iterations"), iterations},
            {QStringLiteral("repetitions"), repetitions}};
}

Timing measure(const std::function<void()>& operation, int iterations, int repetitions)
{
    using Clock = std::chrono::steady_clock;
    std::vector<double> perOp;
    operation(); // warm caches and lazy initialisation outside the measurement
    for (int r = 0; r < repetitions; ++r) {
        const auto start = Clock::now();
        for (int i = 0; i < iterations; ++i)
            operation();
        const std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
        perOp.push_back(elapsed.count() / iterations);
    }
    std::sort(perOp.begin(), perOp.end());
    return {perOp[perOp.size() / 2], perOp.front(), iterations, repetitions};
}

BenchmarkReport::BenchmarkReport(QString name, int argc, char* argv[]) : m_name(std::move(name))
{
    for (int i = 1; i < argc; ++i)
        m_quick = m_quick || std::strcmp(argv[i], "--quick") == 0;
}

int BenchmarkReport::iterations(int full) const
{
    return m_quick ? std::max(1, full / 100) : full;
}

int BenchmarkReport::finish() const
{
    const QJsonObject report{{QStringLiteral("benchmark"), m_name},
                             {QStringLiteral("quick"), m_quick},
                             {QStringLiteral("results"), m_results}};
    const QByteArray text = QJsonDocument(report).toJson(QJsonDocument::Indented);
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    return 0;
}

double processCpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return (fields.value(11).toDouble() + fields.value(12).toDouble()) /
           double(sysconf(_SC_CLK_TCK));
}

} // namespace conclave::bench
