// SPDX-License-Identifier: GPL-3.0-or-later
#include "UiKit.h"

#include "PolicyFixture.h"
#include "policy/BuiltinPolicy.h"
#include "policy/PolicyParser.h"

#include <QLayout>
#include <QtTest>

namespace conclave::testsupport {

UiDevice::UiDevice(std::optional<policy::PolicyDocument> policy)
    : m_policy(policy ? std::move(*policy)
                      : policy::publicBusinessOnlyPolicy("no signed policy is installed (test)"))
{
    auto opened = app::DeviceContext::open(m_dir.path(), m_clock,
                                           app::DeviceContext::KeyProtection::KeyFileOnly);
    if (!opened)
        qFatal("test device: %s", opened.error().message.c_str());
    m_context = std::move(opened).value();
}

ui::DesktopFlow::Device UiDevice::device() const
{
    return {m_context->identity(), m_policy, QString(), m_clock, m_dir.path(), &m_context->audit(),
            &m_context->database()};
}

policy::PolicyDocument referencePolicy()
{
    const QByteArray bytes = PolicyFixture::toBytes(PolicyFixture::validPolicy());
    return policy::PolicyParser::parse({bytes.constData(), static_cast<size_t>(bytes.size())})
        .value();
}

ui::DesktopFlow::Options quietOptions(bool media)
{
    ui::DesktopFlow::Options options;
    options.media = media;
    options.playAudio = false;
    options.testSources = true;
    return options;
}

bool clickButton(QWidget& root, const char* objectName)
{
    auto* button = root.findChild<QPushButton*>(QLatin1String(objectName));
    if (!button || !button->isEnabled() || !button->isVisible()) {
        qWarning("button %s is %s", objectName,
                 !button ? "missing" : (!button->isEnabled() ? "disabled" : "hidden"));
        return false;
    }
    QTest::mouseClick(button, Qt::LeftButton);
    return true;
}

void saveScreenshot(QWidget& window, const char* name)
{
    const QString dir = qEnvironmentVariable("CONCLAVE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    if (window.layout())
        window.layout()->activate();
    window.grab().save(dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

} // namespace conclave::testsupport
