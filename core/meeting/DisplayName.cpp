// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/DisplayName.h"

#include <QList>
#include <QStringView>

namespace conclave::meeting {

Result<QString> checkDisplayName(const QString& name, const char* whose)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return makeError("name.invalid", std::string(whose) + " is empty");
    for (const uint c : QStringView(trimmed).toUcs4()) {
        // Format (Cf) covers every zero-width, joiner and bidirectional control character;
        // control (Cc) the C0/C1 controls; line and paragraph separators break one-line names.
        const auto category = QChar::category(char32_t(c));
        if (category == QChar::Other_Format || category == QChar::Other_Control ||
            category == QChar::Separator_Line || category == QChar::Separator_Paragraph) {
            const QString code = QStringLiteral("U+%1").arg(c, 4, 16, QLatin1Char('0')).toUpper();
            return makeError(
                "name.invalid",
                std::string(whose) +
                    " contains an invisible or text-direction "
                    "control character (" +
                    code.toStdString() +
                    "); names must be plain text so that everyone sees the same name - "
                    "type it again without it");
        }
    }
    return trimmed;
}

} // namespace conclave::meeting
