// SPDX-License-Identifier: GPL-3.0-or-later
#include "JsonLineWriter.h"

#include <QJsonDocument>

namespace conclave::app {

void JsonLineWriter::write(const QJsonObject& object) const
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), m_out);
    std::fputc('\n', m_out);
    std::fflush(m_out);
}

void JsonLineWriter::writeFailure(const char* event, const Error& error) const
{
    write({{QStringLiteral("event"), QLatin1String(event)},
           {QStringLiteral("code"), QString::fromStdString(error.code)},
           {QStringLiteral("reason"), QString::fromStdString(error.message)}});
    std::fprintf(m_err, "%s: %s\n", event, error.message.c_str());
    std::fflush(m_err);
}

} // namespace conclave::app
