// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QtGlobal>

#include <chrono>
#include <functional>

namespace conclave::bench {

/// Timing of one operation: the median over `repetitions` batches of `iterations` calls,
/// in nanoseconds per call. The median resists the other core's noise on a 2-core machine.
struct Timing {
    double nsPerOp = 0;
    double minNsPerOp = 0;
    int iterations = 0;
    int repetitions = 0;

    QJsonObject toJson() const;
};

Timing measure(const std::function<void()>& operation, int iterations, int repetitions);

/// User + system CPU seconds another process (by pid) has used so far (/proc/PID/stat).
double processCpuSeconds(qint64 pid);

/// Collects results and prints {"benchmark": name, "quick": bool, "results": [...]} once.
/// `--quick` shrinks the work so CTest can prove the benchmark runs in seconds.
class BenchmarkReport {
public:
    BenchmarkReport(QString name, int argc, char* argv[]);

    bool quick() const { return m_quick; }
    /// Scales an iteration count down in quick mode (never below 1).
    int iterations(int full) const;
    void add(const QJsonObject& result) { m_results.append(result); }
    /// Prints the report; returns the process exit code.
    int finish() const;

private:
    QString m_name;
    bool m_quick = false;
    QJsonArray m_results;
};

} // namespace conclave::bench
