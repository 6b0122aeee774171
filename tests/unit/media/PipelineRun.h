// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs a finite GStreamer pipeline (gst_parse_launch syntax) to its end in a test, counting
// the buffers that reach each named fakesink and remembering what a named probe point carried.

#include <gst/gst.h>

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <map>

namespace conclave::testsupport {

class PipelineRun {
public:
    /// Parses `description`; qFatal when it does not parse (a test bug, not a product one).
    explicit PipelineRun(const QString& description);
    ~PipelineRun();
    PipelineRun(const PipelineRun&) = delete;
    PipelineRun& operator=(const PipelineRun&) = delete;

    GstElement* element(const char* name) const;
    /// Keeps a copy of every buffer leaving `name`'s src pad.
    void capture(const char* name);
    /// Plays to end of stream (or error, or `timeoutMs`); true at a clean end.
    bool runToEnd(int timeoutMs = 20000);

    /// Buffers that reached the fakesink (signal-handoffs=true) called `name`.
    int count(const char* name) const;
    const QList<QByteArray>& captured(const char* name) const;
    const QString& error() const { return m_error; }

private:
    GstElement* m_pipeline = nullptr;
    std::map<QString, int> m_counts;
    std::map<QString, QList<QByteArray>> m_captured;
    QString m_error;
};

} // namespace conclave::testsupport
