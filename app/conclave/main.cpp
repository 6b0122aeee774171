// SPDX-License-Identifier: GPL-3.0-or-later
// conclave: the desktop app. Wires the device (database, identity, audit), the policy in
// force and the window together; all logic lives in core/ and ui/.
#include "CommandParser.h"
#include "ConfigLocations.h"
#include "DeviceContext.h"
#include "ExitCode.h"
#include "HeadlessDemo.h"
#include "HeadlessReport.h"
#include "JsonLineWriter.h"
#include "ProcessHardening.h"
#include "crypto/Fingerprint.h"
#include "ui/DesktopFlow.h"

#include <QApplication>
#include <QMessageBox>
#include <QStandardPaths>

#include <cstring>
#include <memory>

using namespace conclave;
using namespace conclave::app;

namespace {

bool wantsHeadless(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--headless") == 0 || std::strcmp(argv[i], "--help") == 0)
            return true;
    return false;
}

} // namespace

int main(int argc, char* argv[])
{
    if (auto hardened = conclave::app::hardenProcess();
        !hardened) { // before anything secret is loaded
        conclave::app::JsonLineWriter().writeFailure("error", hardened.error());
        return conclave::app::kExitFailed;
    }
    const bool headless = wantsHeadless(argc, argv);
    // A window needs QApplication (and a display); the headless report must run without one.
    std::unique_ptr<QCoreApplication> application =
        headless ? std::make_unique<QCoreApplication>(argc, argv)
                 : std::make_unique<QApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("conclave"));
    QCoreApplication::setOrganizationName(QStringLiteral("conclave"));

    const JsonLineWriter out;
    CommandParser cmd(QStringLiteral("conclave"),
                      QStringLiteral("Conclave: end-to-end encrypted meetings for classified "
                                     "business: start or join a meeting; --demo to practise."),
                      out);
    cmd.addOption({QStringLiteral("config"),
                   QStringLiteral("Policy and trust-anchor directory (default /etc/conclave)."),
                   QStringLiteral("DIR")});
    cmd.addOption({QStringLiteral("data"),
                   QStringLiteral("Database and key directory (default: your data directory)."),
                   QStringLiteral("DIR")});
    cmd.addOption({QStringLiteral("demo"),
                   QStringLiteral("Open a practice meeting hosted on this computer, with three "
                                  "simulated participants knocking (test media).")});
    cmd.addOption({QStringLiteral("headless"),
                   QStringLiteral("No window: print the same information as JSON lines.")});
    if (auto stop = cmd.parse(QCoreApplication::arguments(), 0))
        return *stop;

    const QString dataDir = cmd.parser().isSet(QStringLiteral("data"))
                                ? cmd.parser().value(QStringLiteral("data"))
                                : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const SystemClock clock;
    auto device = DeviceContext::open(dataDir, clock,
                                      headless ? DeviceContext::KeyProtection::KeyFileOnly
                                               : DeviceContext::KeyProtection::PreferKeyring);
    if (!device) {
        out.writeFailure("error", device.error());
        if (!headless)
            QMessageBox::critical(nullptr, QObject::tr("Conclave cannot start"),
                                  QString::fromStdString(device.error().message));
        return kExitConnectionOrIdentity;
    }
    const auto locations = ConfigLocations::resolve(cmd.parser().value(QStringLiteral("config")));
    const EffectivePolicy effective = (*device)->loadPolicy(locations);
    for (const Error& notice : effective.notices)
        out.writeFailure("warning", notice);

    const bool demo = cmd.parser().isSet(QStringLiteral("demo"));
    if (headless && demo)
        return HeadlessDemo(**device, effective, clock, out).run();
    if (headless) {
        HeadlessReport(out).print(**device, effective);
        return kExitOk;
    }
    ui::DesktopFlow::Options options;
    if (demo) {
        options.playAudio = false; // three test tones at once help nobody
        options.testSources = true;
    }
    ui::DesktopFlow flow(
        {(*device)->identity(), effective.document,
         effective.problem ? QString::fromStdString(effective.problem->message) : QString(), clock,
         (*device)->dataDirectory(), &(*device)->audit(), &(*device)->database()},
        options);
    if (!demo) {
        flow.showStart();
    } else if (auto started = flow.startDemo(); !started) {
        out.writeFailure("error", started.error());
        if (QApplication::topLevelWidgets().isEmpty())
            return kExitRefusedByPolicy;
    }
    return QCoreApplication::exec();
}
