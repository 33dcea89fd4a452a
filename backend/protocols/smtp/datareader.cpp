#include "protocols/smtp/datareader.h"

namespace promail
{

qsizetype DataReader::feed(QByteArrayView input, QByteArray& out)
{
    qsizetype i = 0;
    while (i < input.size() && m_state == State::Reading)
    {
        const char c = input.at(i++);
        if (m_crPending)
        {
            m_crPending = false;
            if (c != '\n')
            {
                m_state = State::BareLineEnding;
                break;
            }
            if (m_dotLine)
            {
                m_state = State::Finished;
                break;
            }
            out.append("\r\n", 2);
            m_lineStart = true;
            continue;
        }
        if (c == '\r')
        {
            m_crPending = true;
            m_dotLine = m_dotPending;
            m_dotPending = false;
            m_lineStart = false;
            continue;
        }
        if (c == '\n')
        {
            m_state = State::BareLineEnding;
            break;
        }
        if (m_dotPending)
        {
            m_dotPending = false; // RFC 5321 §4.5.2: the stuffed dot is removed
        }
        else if (m_lineStart && c == '.')
        {
            m_lineStart = false;
            m_dotPending = true;
            continue;
        }
        m_lineStart = false;
        // Copy the rest of the line in one go up to the next CR or LF.
        qsizetype end = i;
        while (end < input.size() && input.at(end) != '\r' && input.at(end) != '\n')
            ++end;
        out.append(input.data() + i - 1, end - i + 1);
        i = end;
    }
    return i;
}

} // namespace promail
