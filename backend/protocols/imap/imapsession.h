#pragma once

#include "directory/directorytypes.h"
#include "mailstore/folderacl.h"
#include "mailstore/folderview.h"
#include "mailstore/messagecopier.h"
#include "protocols/connectioncounter.h"
#include "protocols/imap/imapcommandreader.h"
#include "protocols/imap/imapfetchattribute.h"
#include "protocols/imap/imapparser.h"
#include "protocols/imap/imapsearchkey.h"
#include "protocols/protocolservices.h"
#include "protocols/sasl/saslmechanism.h"

#include <QFile>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QTemporaryFile>
#include <QTimer>

#include <memory>
#include <optional>

class QSslSocket;

namespace promail
{

class ImapDeflateStream;

Q_DECLARE_LOGGING_CATEGORY(lcImap)

// One IMAP4rev1 connection (RFC 3501, RFC 9051 where they agree), living its whole life in one
// worker thread. Commands come whole from ImapCommandReader and go to a table of handlers
// (imapauthentication.cpp, imapfolders.cpp, imapmessages.cpp). The selected folder is a
// snapshot taken at SELECT and brought up to date between commands (RFC 3501 §5.2), so message
// sequence numbers change only where the client is told. FETCH responses are written message
// by message as the client reads them, with message bytes taken from the mapped file.
class ImapSession : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kSocketBuffer = 64 * 1024;
    static constexpr qint64 kSendChunk = 64 * 1024;
    static constexpr qint64 kMaxWriteBacklog = 256 * 1024;
    // Literals of every command but APPEND, whose limit is smtp.max_message_size.
    static constexpr qint64 kMaxLiteral = 64 * 1024;
    static constexpr qsizetype kMaxSaslLine = 8192;
    // RFC 2342: the prefix of the other users' namespace (mailbox sharing, RFC 4314).
    static constexpr QByteArrayView kOtherUsers = "Other Users/";

    // Takes ownership of the connected socket; `tlsActive` for implicit TLS (imaps, RFC 8314).
    ImapSession(QSslSocket* socket, const ProtocolServices& services, bool tlsActive, QObject* parent = nullptr);
    ~ImapSession() override;
    Q_DISABLE_COPY_MOVE(ImapSession)

    void start();

private:
    // RFC 9051 §3.
    enum class State
    {
        NotAuthenticated,
        Authenticated,
        Selected,
        Logout,
    };
    enum class Phase
    {
        Command,
        Auth,    // between "+ " and the client's SASL response
        Idle,    // between "+ idling" and the client's DONE (RFC 2177)
        Paused,  // waiting for a password check or TLS; input stays in the socket
        Sending, // a FETCH response is being written
        Closed,
    };

    // One command as the handlers see it: the parser stands after the command name.
    struct Request
    {
        QByteArray tag;
        QByteArray name; // upper case; "UID FETCH" for the UID forms
        bool uid = false;
        ImapParser* parser = nullptr;
    };
    using Handler = void (ImapSession::*)(Request&);
    struct Command
    {
        QByteArrayView name;
        State minimum; // NotAuthenticated: any; Authenticated: after login; Selected
        bool onlyBeforeLogin;
        Handler handler;
    };
    static const QList<Command>& commands();

    // I/O (imapsession.cpp)
    void attachSocket(QSslSocket* socket);
    void readInput();
    void process();
    void processCommand(const QByteArray& command);
    void send(const QByteArray& bytes);
    qint64 writeBacklog() const;
    void writeProgressed();
    void untagged(const QByteArray& text);
    void ok(const Request& request, const QByteArray& text);
    void no(const Request& request, const QByteArray& text);
    void bad(const QByteArray& tag, const QByteArray& text);
    bool requireEnd(Request& request);
    void closeWith(const QByteArray& line);
    void restartTimer();
    void pause();
    void resume();

    // COMPRESS (imapcompress.cpp, RFC 4978): the socket's bytes through the deflate layer.
    void compress(Request& request);
    QByteArray readSocket();
    QByteArray compressed(const QByteArray& bytes);

    // Any state and not authenticated (imapauthentication.cpp)
    void authenticate(Request& request);
    void capability(Request& request);
    void login(Request& request);
    void logout(Request& request);
    void noop(Request& request);
    void starttls(Request& request);
    QByteArray capabilityList() const;
    bool loginAllowed(const Request& request);
    void continueAuth(const QByteArray& line);
    void finishAuth(SaslMechanism::Step step);
    void authenticateAsync(const QString& user, const QString& password);
    void switchToTls();

    // ENABLE (RFC 5161) and mailbox names on the wire: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8
    // once IMAP4rev2 is enabled (RFC 9051 §5.1). Every name read or written goes through these
    // (imapenable.cpp); an invalid name fails the parser, so the command is answered BAD.
    void enable(Request& request);
    bool isEnabled(QByteArrayView extension) const; // upper case: "IMAP4REV2"
    QByteArray readMailbox(ImapParser& parser) const;
    QByteArray decodeMailbox(ImapParser& parser, const QByteArray& wire) const;
    QByteArray mailboxToWire(const QByteArray& name) const;

    // CONDSTORE (RFC 7162 §3.1): modifiers, implicit enabling, MODSEQ in FETCH (imapcondstore.cpp).
    struct FetchModifiers
    {
        qint64 changedSince = -1; // CHANGEDSINCE; -1: none
        bool vanished = false;    // VANISHED (RFC 7162 §3.2.6)
    };
    // RFC 7162 §3.2.5: what the client's cache knows of the folder.
    struct QresyncParameters
    {
        qint64 uidValidity = 0;
        qint64 modseq = 0;
        std::optional<SequenceSet> knownUids;
    };
    struct SelectParameters
    {
        bool condstore = false;
        std::optional<QresyncParameters> qresync;
    };
    bool condstoreEnabled() const;
    // RFC 7162 §3.1: a CONDSTORE-enabling command turns it on for the rest of the connection.
    void enableCondstore();
    QByteArray highestModseqResponse() const;
    FetchModifiers parseFetchModifiers(ImapParser& parser);
    // UNCHANGEDSINCE of STORE, with the space after it; -1 when absent.
    qint64 parseStoreModifiers(ImapParser& parser);
    SelectParameters parseSelectParameters(ImapParser& parser);
    // QRESYNC (RFC 7162 §3.2) (imapqresync.cpp).
    void parseQresyncParameter(ImapParser& parser, SelectParameters& parameters);
    // After SELECT (QRESYNC ...): VANISHED (EARLIER) and the FETCH of what changed since.
    void resynchronize(const QresyncParameters& qresync);
    // UIDs expunged after `modseq` (within `within`, "*" being UIDNEXT-1) that the session no
    // longer shows; nothing on a database error.
    std::optional<QList<qint64>> vanishedSince(qint64 modseq, const std::optional<SequenceSet>& within);
    // "n FETCH (FLAGS (...))" for the selected message at `index`, with UID and MODSEQ as needed.
    QByteArray flagsFetch(qsizetype index, bool withUid) const;
    // LIST, LSUB, STATUS (imaplist.cpp)
    void list(Request& request);
    void lsub(Request& request);
    void status(Request& request);
    void listFolders(Request& request, bool lsub);
    QByteArray statusLine(const QByteArray& name, const FolderSummary& folder, const QList<QByteArray>& items) const;

    // Folders (imapfolders.cpp)
    void check(Request& request);
    void close(Request& request);
    void examine(Request& request);
    void expunge(Request& request);
    void select(Request& request);
    void unselect(Request& request);
    void openFolder(Request& request, bool readOnly);
    // `within`: only these UIDs (UID EXPUNGE, RFC 4315 §2.1).
    bool expungeDeleted(bool report, const QSet<qint64>* within = nullptr);
    void synchronize(bool reportExpunges);

    // IDLE (imapidle.cpp)
    void idle(Request& request);
    void continueIdle(const QByteArray& line);
    void pollIdle();

    // ID (imapid.cpp, RFC 2971)
    void id(Request& request);

    // QUOTA (imapquota.cpp, RFC 9208)
    void getQuota(Request& request);
    void getQuotaRoot(Request& request);
    void setQuota(Request& request);
    bool sendQuota(const Request& request);

    // APPEND (imapappend.cpp)
    void append(Request& request);
    // The reader's sink for an APPEND literal over kMaxLiteral: written to m_appendFile.
    bool spillAppend(QByteArrayView bytes, bool first);

    // Folder administration (imapfoldercommands.cpp)
    void create(Request& request);
    void deleteFolder(Request& request);
    void rename(Request& request);
    void subscribe(Request& request);
    void unsubscribe(Request& request);
    void setSubscribed(Request& request, bool subscribed);
    void noFolderError(const Request& request, const Error& error);

    // COPY, MOVE, UID EXPUNGE (imapcopymove.cpp)
    void copyMessages(Request& request);
    void uidExpunge(Request& request);
    void transferFailed(const Request& request, const Error& error);
    void finishTransfer(const Request& request, const CopyResult& result, bool move);
    // Drops the messages from the snapshot and reports them: EXPUNGE, or VANISHED with QRESYNC
    // (imapqresync.cpp).
    void reportExpunged(const QSet<qint64>& uids);

    // Messages (imapmessages.cpp)
    void fetch(Request& request);
    void store(Request& request);
    std::optional<QList<qsizetype>> resolve(Request& request, const SequenceSet& set);
    void continueFetch();
    bool writeFetchResponse(qsizetype index);
    void streamPending();
    void finishFetch();

    // SEARCH and UID SEARCH with ESEARCH (RFC 4731) and SEARCHRES (RFC 5182), SORT and THREAD
    // (RFC 5256) (imapsearchcommands.cpp)
    void search(Request& request);
    void sort(Request& request);
    void thread(Request& request);
    // The indexes of the selected messages that match, after taking in other sessions' changes.
    QList<qsizetype> matchingMessages(const Request& request, const ImapSearchKey& key);

    // Mailbox sharing: NAMESPACE (RFC 2342) and ACL (RFC 4314). Every handler that names a folder
    // resolves it with access() (imapaccess.cpp) into the owning mailbox, the folder and the
    // user's rights; the selected folder's are in m_access. ACL commands: imapacl.cpp.
    struct FolderAccess
    {
        qint64 ownerId = 0;
        QString ownerDomain; // A-label, for deliveries into the folder
        QString ownerLocalPart;
        FolderSummary folder; // folder.name as the owner names it
        AclRights rights;
        bool own = true;
    };
    // A folder name not made yet (CREATE, RENAME's target) in the mailbox it will belong to.
    struct NewFolder
    {
        qint64 ownerId = 0;
        QString name;
        qint64 parentId = 0; // 0: no parent folder exists
    };
    // Answers NO itself and returns nothing unless the folder exists and the user holds every
    // right of `needed` (RFC 4314 §4); a folder the user may not look up ("l") is reported with
    // `notFound`, so its existence is not revealed (RFC 4314 §6).
    std::optional<FolderAccess> access(const Request& request, const QByteArray& name, QByteArrayView needed,
                                       const QByteArray& notFound = "[NONEXISTENT] No such folder");
    // The rights of `needed` on the selected folder, else NO [NOPERM].
    bool selectedAllows(const Request& request, QByteArrayView needed);
    // CREATE/RENAME: the new folder's owner and name; needs "k" on the parent of another's folder.
    std::optional<NewFolder> newFolder(const Request& request, const QByteArray& name);
    // What LIST shows: own folders, then the shared ones under "Other Users/<owner>/" with their
    // \Noselect parents. Empty on a database error, answered with NO.
    struct ListedFolder
    {
        QByteArray name;
        QString specialUse;
        bool subscribed = false;
        bool selectable = true;
        qint64 ownerId = 0;   // selectable folders: whose folder it is
        QString ownerFolder;  // and its name there
        bool readable = true; // RFC 4314 "r": STATUS may be shown (RFC 5819 §2)
    };
    std::optional<QList<ListedFolder>> visibleFolders(const Request& request);
    // RFC 4314 §4: the right a flag change needs: 's' for \Seen, 't' for \Deleted, else 'w'.
    static char flagRight(const QByteArray& flag);
    void getAcl(Request& request);
    void setAcl(Request& request);
    void deleteAcl(Request& request);
    void listRights(Request& request);
    void myRights(Request& request);
    void namespaces(Request& request);
    void changeAcl(Request& request, bool remove);

    QSslSocket* m_socket = nullptr;
    const ProtocolServices& m_services;
    QHostAddress m_client;
    QByteArray m_input;
    std::unique_ptr<ImapDeflateStream> m_deflate; // after COMPRESS DEFLATE
    ImapCommandReader m_reader{kMaxLiteral};
    std::unique_ptr<QTemporaryFile> m_appendFile; // the APPEND literal being received, when large
    bool m_appendHasNul = false;
    State m_state = State::NotAuthenticated;
    Phase m_phase = Phase::Command;
    bool m_tls = false;
    QByteArray m_authTag;
    std::unique_ptr<SaslMechanism> m_sasl;
    std::optional<Mailbox> m_mailbox;
    ConnectionCounter::Lease m_connectionLease; // while logged in (imap.max_connections_per_user)
    // Extensions the client turned on with ENABLE (RFC 5161), upper case: "IMAP4REV2", "CONDSTORE",
    // "QRESYNC", "UTF8=ACCEPT".
    QSet<QByteArray> m_enabled;
    QTimer m_timer;
    QTimer m_idlePoll;
    QByteArray m_idleTag;

    // The selected folder (RFC 9051 §5.1.1 snapshot semantics).
    FolderSnapshot m_selected;
    bool m_readOnly = false;
    FolderAccess m_access;      // RFC 4314: whose folder is selected, with the rights taken at SELECT
    QSet<qint64> m_savedResult; // RFC 5182: the UIDs of the last SEARCH RETURN (SAVE), "$"

    // The FETCH being written.
    struct FetchJob
    {
        QByteArray tag;
        QByteArray doneText;
        QList<qsizetype> indexes;
        qsizetype next = 0;
        QList<ImapFetchAttribute> attributes;
        bool uid = false;
        bool unknownCte = false; // RFC 3516 §4.2: a BINARY part could not be decoded
    };
    std::optional<FetchJob> m_fetch;
    // Bytes of the current message still to send: pieces of the mapped file or built bytes.
    struct Piece
    {
        QByteArray bytes;
        qsizetype offset = 0;
        qsizetype length = -1; // >= 0: a range of m_mapped

        static Piece text(const QByteArray& bytes) { return Piece{bytes, 0, -1}; }
        static Piece range(qsizetype offset, qsizetype length) { return Piece{{}, offset, length}; }
    };
    QList<Piece> m_pending;
    QFile m_file;
    const uchar* m_mapped = nullptr;
};

} // namespace promail
