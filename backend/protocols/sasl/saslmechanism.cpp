#include "protocols/sasl/saslmechanism.h"

using namespace Qt::StringLiterals;

namespace promail
{

namespace
{

bool isUtf8(const QByteArray& bytes, QString* text)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = decoder.decode(bytes);
    return !decoder.hasError() && !text->contains(QChar(0));
}

// RFC 4616: message = [authzid] UTF8NUL authcid UTF8NUL passwd. Acting as another user
// (authzid different from authcid) is not supported.
class Plain final : public SaslMechanism
{
public:
    Step start(const QByteArray& initialResponse, bool present) override
    {
        if (!present)
        {
            m_challenge.clear();
            return Step::Challenge;
        }
        return respond(initialResponse);
    }

    Step respond(const QByteArray& response) override
    {
        const QList<QByteArray> parts = response.split('\0');
        if (parts.size() != 3)
            return fail(u"PLAIN needs authzid NUL authcid NUL password"_s);
        QString authzid;
        if (!isUtf8(parts[0], &authzid) || !isUtf8(parts[1], &m_authcid) || !isUtf8(parts[2], &m_password))
            return fail(u"PLAIN credentials are not UTF-8"_s);
        if (m_authcid.isEmpty() || m_password.isEmpty())
            return fail(u"PLAIN credentials are empty"_s);
        if (!authzid.isEmpty() && authzid.compare(m_authcid, Qt::CaseInsensitive) != 0)
            return fail(u"authorization as another user is not supported"_s);
        return Step::Done;
    }
};

// The widespread LOGIN mechanism (draft-murchison-sasl-login): "Username:" then "Password:".
class Login final : public SaslMechanism
{
public:
    Step start(const QByteArray& initialResponse, bool present) override
    {
        if (present && !initialResponse.isEmpty())
            return respond(initialResponse);
        m_challenge = "Username:"_ba;
        return Step::Challenge;
    }

    Step respond(const QByteArray& response) override
    {
        if (!m_haveUser)
        {
            if (!isUtf8(response, &m_authcid) || m_authcid.isEmpty())
                return fail(u"LOGIN user name is empty or not UTF-8"_s);
            m_haveUser = true;
            m_challenge = "Password:"_ba;
            return Step::Challenge;
        }
        if (!isUtf8(response, &m_password) || m_password.isEmpty())
            return fail(u"LOGIN password is empty or not UTF-8"_s);
        return Step::Done;
    }

private:
    bool m_haveUser = false;
};

} // namespace

QList<QByteArray> SaslMechanism::names()
{
    return {"PLAIN"_ba, "LOGIN"_ba};
}

std::unique_ptr<SaslMechanism> SaslMechanism::create(QByteArrayView name)
{
    if (name.compare("PLAIN", Qt::CaseInsensitive) == 0)
        return std::make_unique<Plain>();
    if (name.compare("LOGIN", Qt::CaseInsensitive) == 0)
        return std::make_unique<Login>();
    return nullptr;
}

} // namespace promail
