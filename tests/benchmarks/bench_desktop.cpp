// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop app (DESIGN §14), each sample in a fresh process of this program with
// QT_QPA_PLATFORM=offscreen:
//  - start-up: process start -> the start window exposed (device opened, policy verified,
//    widgets built), against a bare Qt Widgets window shown the same way (the floor any Qt
//    desktop program pays);
//  - memory: resident set of a 4-person meeting (this device chairing on its embedded hub,
//    with the demo's three simulated members, all sending and receiving encrypted test video
//    and audio) against the same process showing only the start window.
#include "BenchmarkReport.h"
#include "ConfigLocations.h"
#include "DeviceContext.h"
#include "Percentile.h"
#include "conference/DemoCast.h"
#include "ui/DesktopFlow.h"
#include "ui/MeetingWindow.h"
#include "ui/StartWindow.h"
#include "ui/VideoGrid.h"
#include "ui/VideoTile.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace conclave;
using testsupport::percentile;

namespace {

double residentMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

/// What a sample prints on its last line.
void report(const QJsonObject& o)
{
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

std::unique_ptr<app::DeviceContext> openDevice(const QString& dir, const Clock& clock)
{
    auto device =
        app::DeviceContext::open(dir, clock, app::DeviceContext::KeyProtection::KeyFileOnly);
    if (!device)
        qFatal("device: %s", device.error().message.c_str());
    return std::move(device).value();
}

int sampleStartup(const QString& dataDir)
{
    const SystemClock clock;
    auto device = openDevice(dataDir, clock);
    const auto effective = device->loadPolicy(app::ConfigLocations::resolve(dataDir + "/config"));
    ui::DesktopFlow flow(
        {device->identity(), effective.document, QString(), clock, dataDir, &device->audit()}, {});
    flow.showStart();
    if (!QTest::qWaitForWindowExposed(flow.startWindow()))
        return 1;
    report({{"shown", true}});
    return 0;
}

int sampleBaseline()
{
    QWidget window;
    auto* label = new QLabel(QStringLiteral("Conclave"), &window);
    label->move(10, 10);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    report({{"shown", true}});
    return 0;
}

int sampleMeeting(const QString& dataDir, bool quick)
{
    const SystemClock clock;
    auto device = openDevice(dataDir, clock);
    const auto effective = device->loadPolicy(app::ConfigLocations::resolve(dataDir + "/config"));
    ui::DesktopFlow::Options options;
    options.playAudio = false;
    options.testSources = true;
    ui::DesktopFlow flow(
        {device->identity(), effective.document, QString(), clock, dataDir, &device->audit()},
        options);
    flow.showStart();
    if (!QTest::qWaitForWindowExposed(flow.startWindow()))
        return 1;
    QTest::qWait(500);
    const double idle = residentMiB();

    if (!flow.startDemo())
        return 1;
    auto* chair = flow.chair();
    if (!QTest::qWaitFor([&] { return chair->waiting().size() == 3; }, 20000))
        return 1;
    for (const auto& knocker : chair->waiting())
        if (!chair->command({meeting::ChairAction::Admit, true, knocker.identity}))
            return 1;
    // Everyone's video is arriving at the chair's grid: the meeting is in its steady state.
    auto& grid = flow.meetingWindow()->videoGrid();
    const bool flowing = QTest::qWaitFor(
        [&] {
            int showing = 0;
            for (const auto& m : chair->members())
                if (const auto* tile = grid.tile(m.index, 1); tile && tile->framesShown() > 30)
                    ++showing;
            return showing == 3;
        },
        30000);
    if (!flowing)
        return 1;
    QTest::qWait(quick ? 1000 : 5000);
    report({{"idle_mib", idle}, {"meeting_mib", residentMiB()}});
    return 0;
}

QJsonObject runSample(const QString& mode, const QString& dataDir, bool quick, double* wallMs)
{
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(env);
    QStringList args{QStringLiteral("--sample"), mode, QStringLiteral("--data"), dataDir};
    if (quick)
        args << QStringLiteral("--quick");
    QElapsedTimer timer;
    timer.start();
    child.start(QCoreApplication::applicationFilePath(), args);
    // The sample prints its line once its window is up: the wall time to there is the
    // start-up time, process creation and dynamic linking included.
    QByteArray out;
    while (!out.contains('\n') && child.state() != QProcess::NotRunning)
        if (child.waitForReadyRead(60000))
            out += child.readAllStandardOutput();
        else
            break;
    if (wallMs)
        *wallMs = double(timer.nsecsElapsed()) / 1e6;
    child.waitForFinished(60000);
    out += child.readAllStandardOutput();
    const QList<QByteArray> lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.last()).object();
}

} // namespace

int main(int argc, char* argv[])
{
    const QStringList args = [&] {
        QStringList a;
        for (int i = 0; i < argc; ++i)
            a << QString::fromLocal8Bit(argv[i]);
        return a;
    }();
    const qsizetype sample = args.indexOf(QStringLiteral("--sample"));
    if (sample > 0) {
        QApplication app(argc, argv);
        const QString mode = args.value(sample + 1);
        const QString dataDir = args.value(args.indexOf(QStringLiteral("--data")) + 1);
        if (mode == QLatin1String("startup"))
            return sampleStartup(dataDir);
        if (mode == QLatin1String("baseline"))
            return sampleBaseline();
        return sampleMeeting(dataDir, args.contains(QStringLiteral("--quick")));
    }

    QCoreApplication app(argc, argv);
    bench::BenchmarkReport report(QStringLiteral("bench_desktop"), argc, argv);
    QTemporaryDir data;
    const int samples = report.quick() ? 2 : 9;

    // A first run creates the identity and database; later runs open them as a user's
    // every start does.
    runSample(QStringLiteral("startup"), data.path(), report.quick(), nullptr);
    std::vector<double> startup;
    std::vector<double> baseline;
    for (int i = 0; i < samples; ++i) {
        double ms = 0;
        if (runSample(QStringLiteral("startup"), data.path(), report.quick(), &ms)
                .value(QStringLiteral("shown"))
                .toBool())
            startup.push_back(ms);
        if (runSample(QStringLiteral("baseline"), data.path(), report.quick(), &ms)
                .value(QStringLiteral("shown"))
                .toBool())
            baseline.push_back(ms);
    }
    const double startupP50 = percentile(startup, 0.5);
    const double baselineP50 = percentile(baseline, 0.5);
    report.add({{"name", "startup_to_first_window"},
                {"unit", "ms"},
                {"samples", int(startup.size())},
                {"p50", startupP50},
                {"p95", percentile(startup, 0.95)},
                {"baseline_bare_qt_window_p50", baselineP50},
                {"ratio_to_baseline", baselineP50 > 0 ? startupP50 / baselineP50 : 0}});

    const QJsonObject memory =
        runSample(QStringLiteral("meeting"), data.path(), report.quick(), nullptr);
    const double idle = memory.value(QStringLiteral("idle_mib")).toDouble();
    const double meeting = memory.value(QStringLiteral("meeting_mib")).toDouble();
    report.add({{"name", "resident_memory_4_person_meeting"},
                {"unit", "MiB"},
                {"measured", meeting > 0},
                {"start_window_only", idle},
                {"meeting_4_people_in_one_process", meeting},
                {"per_member_pipeline_estimate", meeting > idle ? (meeting - idle) / 4.0 : 0},
                {"ratio_to_start_window", idle > 0 ? meeting / idle : 0}});
    return report.finish();
}
