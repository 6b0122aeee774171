// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conference/ChairController.h"
#include "conference/DemoCast.h"

#include <QElapsedTimer>
#include <QTimer>

namespace conclave::conference {

/// The demo played by itself, as a newcomer would play it, for `conclave --headless --demo`
/// (a machine without a display still runs the whole meeting): wait for the three knocks,
/// admit the invited person, deny the uninvited one, admit the third, remove them once they
/// start disrupting, suspend all activity, resume, end. Each chair action is real; a refused
/// one stops the script with the reason.
class DemoScript : public QObject {
    Q_OBJECT

public:
    static constexpr std::chrono::seconds kDeadline{90};
    static constexpr std::chrono::milliseconds kPause{1500};

    DemoScript(ChairController& chair, DemoCast& cast);
    void start();

signals:
    /// One chair action taken (admit, deny, remove, suspend, resume, end) on `who` (or "").
    void acted(const QString& action, const QString& who);
    /// The script is over: ok, or why not.
    void finished(bool ok, const QString& reason);

private:
    enum class Stage {
        AwaitKnocks,
        Deny,
        AdmitDisrupter,
        AwaitDisruption,
        Remove,
        Suspend,
        Resume,
        End,
        Done
    };
    void advance();
    /// Gives the command; `who` is named in the `acted` report.
    bool run(const meeting::ChairCommand& command, const DemoCast::Actor* who);
    void stop(bool ok, const QString& reason);

    ChairController& m_chair;
    DemoCast& m_cast;
    QTimer m_poll;
    QElapsedTimer m_elapsed;
    QElapsedTimer m_sinceStep;
    Stage m_stage = Stage::AwaitKnocks;
    bool m_disrupted = false;
};

} // namespace conclave::conference
