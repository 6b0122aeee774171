// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace conclave::testsupport {

/// A network namespace `conclave-<kind>-<random>` joined to the test's own by a veth pair, on a
/// 10.<octet>.<n>.0/24 this machine does not use yet and no other fixture has claimed: .1 on the
/// test's side, .2 inside. Made by setUp(); veth, namespace and claim go with the object, also
/// when a test fails. Test code only; needs root (ip netns). JanusProcess and CoturnProcess put
/// their server inside one.
class VethNamespace {
public:
    /// `kind` names the namespace and the claim files; `vethPrefix` (two letters) the
    /// interfaces, whose names may have at most 15 characters.
    VethNamespace(const QString& kind, int secondOctet, const QString& vethPrefix);
    ~VethNamespace();
    VethNamespace(const VethNamespace&) = delete;
    VethNamespace& operator=(const VethNamespace&) = delete;

    /// Makes the namespace and the pair, with `extraHostAddresses` (host numbers in the
    /// subnet) on the test's side too. An empty string on success, otherwise what failed.
    QString setUp(const QList<int>& extraHostAddresses = {});
    void tearDown();

    QString name() const { return m_name; }
    /// The interface inside the namespace.
    QString innerInterface() const { return m_innerVeth; }
    /// 10.<octet>.<n>.<host>
    QString address(int host) const { return m_prefix + QString::number(host); }
    QString hostAddress() const { return address(1); }
    QString innerAddress() const { return address(2); }

private:
    /// One file per subnet, made only if absent: the claim is atomic across processes. A claim
    /// whose process is gone (a test killed) is taken over.
    bool claimSubnet(const QString& kind, int secondOctet, int subnet);

    QString m_name;
    QString m_hostVeth;
    QString m_innerVeth;
    QString m_prefix; ///< "10.<octet>.<n>."
    QString m_claim;  ///< the file holding this fixture's subnet claim
    bool m_up = false;
};

} // namespace conclave::testsupport
