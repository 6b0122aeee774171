// SPDX-License-Identifier: GPL-3.0-or-later
// conclave-hub: the meeting hub as a headless service. Wires the TLS identity, the policy (if
// any) and the hub together and logs its events as JSON lines; the hub itself is core/hub.
#include "ConfigLocations.h"
#include "ExitCode.h"
#include "HubOptions.h"
#include "JsonLineWriter.h"
#include "PolicyLoader.h"
#include "ProcessHardening.h"
#include "SerialLedger.h"
#include "ShutdownSignals.h"
#include "hub/HubServer.h"
#include "hub/HubStateStore.h"
#include "hub/JanusInstancesFile.h"
#include "hub/JanusRooms.h"
#include "hub/TurnGrants.h"
#include "tls/TlsIdentity.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>
#include <sys/resource.h>
#include <variant>
#include <vector>

using namespace conclave;
using namespace conclave::app;

namespace {

/// Every connection is a file descriptor; the usual soft limit (1024) is below what the hub
/// is configured to hold, so take what the hard limit allows.
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

QByteArray jsonString(const QString& s)
{
    const QByteArray array = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

/// The first line, written by hand because its key order is part of the contract.
void printListening(const QString& url, const QString& spki)
{
    const QByteArray line = "{\"event\":\"listening\",\"url\":" + jsonString(url) +
                            ",\"spki\":" + jsonString(spki) + "}\n";
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

/// The hub's policy, or the exit code to stop with. A missing or refused policy leaves the
/// built-in public-business-only policy in force, which the caller reports. The hub keeps its
/// own anti-rollback record (DATA/hub-policy.db, per authority) beside the system-wide ledger,
/// so a restarted hub cannot be handed an older policy of the same authority.
std::variant<hub::HubApproval, int> loadApproval(const HubOptions& o, const Clock& clock,
                                                 const JsonLineWriter& out,
                                                 std::optional<Error>& problem,
                                                 std::vector<Error>& notices)
{
    const ConfigLocations locations = ConfigLocations::resolve(o.configDir);
    notices = locations.notices;
    auto ledger =
        SerialLedger::open(o.dataDir + QStringLiteral("/hub-policy.db"), locations.ledgerFile);
    if (!ledger) {
        out.writeFailure("error", ledger.error());
        return int(kExitConnectionOrIdentity);
    }
    const EffectivePolicy effective = PolicyLoader(clock).loadRecorded(locations, **ledger);
    problem = effective.problem;
    const std::string backend = o.backendId.toStdString();
    if (!effective.document.builtin && !effective.document.findBackend(backend)) {
        out.writeFailure("refused", {"unknown_backend", "backend '" + backend + "' is not in " +
                                                            effective.document.describe() +
                                                            "; check --backend"});
        return int(kExitRefusedByPolicy);
    }
    return hub::HubApproval{effective.document, backend};
}

} // namespace

int main(int argc, char* argv[])
{
    if (auto hardened = conclave::app::hardenProcess();
        !hardened) { // before anything secret is loaded
        conclave::app::JsonLineWriter().writeFailure("error", hardened.error());
        return conclave::app::kExitFailed;
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("conclave-hub"));
    const JsonLineWriter out;
    auto parsed = HubOptions::parse(QCoreApplication::arguments(), out);
    if (const int* code = std::get_if<int>(&parsed))
        return *code;
    const HubOptions& options = std::get<HubOptions>(parsed);
    raiseFileLimit();
    const SystemClock clock;

    auto identity = tls::TlsIdentity::loadOrCreate(options.dataDir, QStringLiteral("conclave-hub"));
    if (!identity) {
        out.writeFailure("error", identity.error());
        return kExitConnectionOrIdentity;
    }
    std::optional<hub::HubApproval> approval;
    std::optional<Error> policyProblem;
    std::vector<Error> notices;
    if (!options.backendId.isEmpty()) {
        auto loaded = loadApproval(options, clock, out, policyProblem, notices);
        if (const int* code = std::get_if<int>(&loaded))
            return *code;
        approval = std::get<hub::HubApproval>(std::move(loaded));
    }
    const QJsonObject policyLine =
        approval ? QJsonObject{{QStringLiteral("event"), QStringLiteral("policy")},
                               {QStringLiteral("backend"), options.backendId},
                               {QStringLiteral("description"),
                                QString::fromStdString(approval->policy.describe())},
                               {QStringLiteral("builtin"), approval->policy.builtin}}
                 : QJsonObject{};
    const bool pinListed = !approval || approval->policy.builtin ||
                           approval->policy.findBackendByPin(identity->spkiPin.toStdString());

    // Declared before the server, which hands it membership changes until it is gone.
    std::unique_ptr<hub::JanusRooms> mediaRooms;
    if (!options.janusInstances.isEmpty()) {
        auto instances = hub::JanusInstancesFile::read(options.janusInstances);
        if (!instances) {
            out.writeFailure("error", instances.error());
            return kExitInvalidInput;
        }
        mediaRooms = std::make_unique<hub::JanusRooms>(std::move(instances).value(),
                                                       hub::JanusRooms::Options{});
    }
    // Declared before the server too: it hands it membership changes.
    std::unique_ptr<hub::TurnGrants> turnGrants;
    if (!options.turnSecretFile.isEmpty()) {
        auto secret = hub::TurnGrants::readSecret(options.turnSecretFile);
        if (!secret) {
            out.writeFailure("error", secret.error());
            return kExitInvalidInput;
        }
        turnGrants = std::make_unique<hub::TurnGrants>(std::move(secret).value(), clock);
    }
    // The meetings it hosted before a restart (docs/operations.md, "The hub's saved state").
    // A file that cannot be used stops the hub here, before it listens: starting empty would
    // forget bans and spent invites without anyone deciding so.
    const std::string statePath =
        (options.dataDir + QLatin1Char('/') + QLatin1String(hub::HubStateStore::kFileName))
            .toStdString();
    auto stateStore = hub::HubStateStore::open(statePath);
    if (!stateStore) {
        out.writeFailure("error", stateStore.error());
        return kExitFailed;
    }
    hub::HubServer server(std::move(identity).value(), options.limits, clock, std::move(approval));
    if (mediaRooms)
        server.setMediaRooms(mediaRooms.get());
    if (turnGrants)
        server.setTurnGrants(turnGrants.get());
    auto restored = server.restoreFrom(**stateStore);
    if (!restored) {
        out.writeFailure("error", restored.error());
        return kExitFailed;
    }
    if (mediaRooms)
        mediaRooms->start();
    if (auto listening = server.listen(options.address, options.port); !listening) {
        out.writeFailure("error", listening.error());
        return kExitConnectionOrIdentity;
    }
    printListening(QStringLiteral("wss://%1:%2").arg(options.host).arg(server.port()),
                   server.spkiPin());
    if (!policyLine.isEmpty())
        out.write(policyLine);
    for (const Error& notice : notices)
        out.writeFailure("warning", notice);
    if (policyProblem)
        out.writeFailure("warning", *policyProblem);
    if (!pinListed)
        out.writeFailure("warning",
                         {"hub.pin_not_in_policy",
                          "this hub's TLS key (" + server.spkiPin().toStdString() +
                              ") is not listed for any backend in the policy, so clients will "
                              "refuse to join through it; add it to the backend's "
                              "tls_spki_sha256"});
    if (options.limits.allowAnyChair)
        out.writeFailure("warning",
                         {"hub.any_chair", "--allow-any-chair: anyone with an identity key can "
                                           "open meetings on this hub; use it only in a test "
                                           "laboratory"});
    else if (options.limits.allowedChairs.isEmpty())
        out.writeFailure("warning",
                         {"hub.no_chairs_allowed",
                          "no chair may open meetings on this hub yet; list the chairs with "
                          "--allow-chair FINGERPRINT or --allow-chairs FILE"});
    else
        out.write({{QStringLiteral("event"), QStringLiteral("chairs_allowed")},
                   {QStringLiteral("count"), qint64(options.limits.allowedChairs.size())}});
    for (const hub::HubEvent& event : *restored)
        out.write(event.toJson());
    QObject::connect(&server, &hub::HubServer::event, &app,
                     [&out](const hub::HubEvent& event) { out.write(event.toJson()); });

    ShutdownSignals shutdown([&](int signo) {
        out.write({{QStringLiteral("event"), QStringLiteral("stopping")},
                   {QStringLiteral("signal"), signo}});
        server.close();
        // Give the close frames a moment to leave before the process goes.
        QTimer::singleShot(200, &app, &QCoreApplication::quit);
    });
    if (!shutdown.installed())
        out.writeFailure("warning", {"hub.signals", "cannot catch SIGTERM/SIGINT; stop the hub "
                                                    "with SIGKILL"});
    const int code = app.exec();
    out.write({{QStringLiteral("event"), QStringLiteral("stopped")}});
    return code == 0 ? kExitOk : code;
}
