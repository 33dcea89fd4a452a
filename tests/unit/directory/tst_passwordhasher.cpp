#include "directory/passwordhasher.h"

#include <ctime>

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using promail::PasswordHasher;

// Every imported fixture below was produced by an external tool (command in the comment next to
// it), never by PasswordHasher, so a bug shared by hash() and verify() cannot hide.
class TestPasswordHasher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hashRoundTrip_data();
    void hashRoundTrip();
    void hashUsesFreshSalt();
    void hashTiming();
    void importedHashes_data();
    void importedHashes();
    void unsupportedHashes_data();
    void unsupportedHashes();
    void cryptLibraryRejectsNonCanonicalSalt();
    void passwordLimits();
    void refusalCostsAHash_data();
    void refusalCostsAHash();
};

void TestPasswordHasher::hashRoundTrip_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("ascii") << u"secret"_s;
    QTest::newRow("utf-8") << u"pässwörd"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("nul byte") << u"abc\0xyz"_s;
    QTest::newRow("4096 bytes") << QString(4096, u'p');
}

void TestPasswordHasher::hashRoundTrip()
{
    QFETCH(QString, password);
    const promail::Result<QString> hashed = PasswordHasher::hash(password);
    QVERIFY(hashed.ok());
    QVERIFY2(hashed->startsWith(u"{ARGON2ID}$argon2id$v=19$m=47104,t=1,p=1$"_s), qPrintable(*hashed));
    // 16-byte salt = 22 base64 characters, 32-byte hash = 43, unpadded.
    QCOMPARE(hashed->size(), 107);
    QCOMPARE(hashed->count(u'$'), 5);
    QVERIFY(PasswordHasher::isSupportedHash(*hashed, nullptr));

    const PasswordHasher::Verification good = PasswordHasher::verify(*hashed, password);
    QCOMPARE(good.ok, true);
    QCOMPARE(good.needsRehash, false);
    QCOMPARE(good.reason, QString());

    const QString wrong = password.isEmpty() ? u"x"_s : password.chopped(1) + u'#';
    const PasswordHasher::Verification bad = PasswordHasher::verify(*hashed, wrong);
    QCOMPARE(bad.ok, false);
    QCOMPARE(bad.needsRehash, false);
    QCOMPARE(bad.reason, u"password does not match"_s);
}

void TestPasswordHasher::hashUsesFreshSalt()
{
    const promail::Result<QString> first = PasswordHasher::hash(u"secret"_s);
    const promail::Result<QString> second = PasswordHasher::hash(u"secret"_s);
    QVERIFY(first.ok() && second.ok());
    QVERIFY(*first != *second);
    QCOMPARE(first->left(41), second->left(41)); // same scheme and parameters, different salt
}

void TestPasswordHasher::hashTiming()
{
    // Wall time suffers when other builds share the two cores; CPU time is the hash's own cost.
    QElapsedTimer timer;
    timer.start();
    const std::clock_t cpuStart = std::clock();
    const promail::Result<QString> hashed = PasswordHasher::hash(u"secret"_s);
    const qint64 hashMs = timer.elapsed();
    const long hashCpuMs = static_cast<long>((std::clock() - cpuStart) * 1000 / CLOCKS_PER_SEC);
    QVERIFY(hashed.ok());
    timer.restart();
    QVERIFY(PasswordHasher::verify(*hashed, u"secret"_s).ok);
    const qint64 verifyMs = timer.elapsed();
    qDebug("argon2id m=%u KiB t=%u p=%u: hash() %lld ms wall (%ld ms CPU), verify() %lld ms wall",
           PasswordHasher::kArgon2MemoryKiB, PasswordHasher::kArgon2Iterations, PasswordHasher::kArgon2Lanes, hashMs,
           hashCpuMs, verifyMs);
    // Generous bound: only catches a parameter change that would make logins unusably slow.
    QVERIFY2(hashMs < 1000, "one hash() call took a second or more");
}

void TestPasswordHasher::importedHashes_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("password");
    QTest::addColumn<bool>("needsRehash");

    // echo -n secret | argon2 saltsaltsaltsalt -id -t 1 -k 47104 -p 1 -l 32 -e   (current parameters)
    const QString argon2idCurrent =
        u"$argon2id$v=19$m=47104,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$GzVeMkmyPrgpJ++h8sTmsRIaxTSNTtmY/Nj/Ecb+b2I"_s;
    QTest::newRow("argon2id current bare") << argon2idCurrent << u"secret"_s << false;
    QTest::newRow("argon2id current {ARGON2ID}") << u"{ARGON2ID}"_s + argon2idCurrent << u"secret"_s << false;
    // echo -n secret | argon2 saltsaltsaltsalt -id -t 3 -k 65536 -p 1 -l 32 -e   (stronger than current)
    QTest::newRow("argon2id stronger")
        << u"{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"secret"_s << false;
    // echo -n 'pässwörd' | argon2 saltsaltsaltsalt -id -t 3 -k 65536 -p 2 -l 32 -e
    QTest::newRow("argon2id p=2 utf-8")
        << u"$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$WKK6q/oQ1bfOxEtCdmJKp7VBWFeoAIAoVbGU30vBmn0"_s
        << u"pässwörd"_s << false;
    // echo -n secret | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -e   (less memory than current)
    QTest::newRow("argon2id weaker")
        << u"{ARGON2ID}$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$6G4RVhNf4sYzxbGJQzsImNwnF3BnniV+nogjylwdjiA"_s
        << u"secret"_s << true;
    // echo -n secret | argon2 saltsaltsaltsalt -i -t 3 -k 4096 -p 1 -l 32 -e
    const QString argon2i =
        u"$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$rKruB1I84RhLo+f37zOlH0ftGAkApBr8ADCpg+0WyfQ"_s;
    QTest::newRow("argon2i bare") << argon2i << u"secret"_s << true;
    QTest::newRow("argon2i {ARGON2I}") << u"{ARGON2I}"_s + argon2i << u"secret"_s << true;
    // echo -n secret | argon2 saltsaltsaltsalt -i -t 3 -k 4096 -p 1 -l 32 -v 10 -e
    QTest::newRow("argon2i v=16")
        << u"$argon2i$v=16$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$aK/DmKi1BLkZ/T7YqY1QrxFHta5ER/YBTRVneg9iz2Q"_s
        << u"secret"_s << true;

    // openssl passwd -6 -salt saltsalt1234 secret
    const QString sha512 =
        u"$6$saltsalt1234$Jzx4Wae8pi9RPOzMzzzpteRFlAukgjIekvrujxvQsIAIkzoHg28m3wEsiThWW4NZCiw9qq26Jdx2oIzBnIWKL0"_s;
    QTest::newRow("sha512-crypt bare") << sha512 << u"secret"_s << true;
    QTest::newRow("sha512-crypt {SHA512-CRYPT}") << u"{SHA512-CRYPT}"_s + sha512 << u"secret"_s << true;
    QTest::newRow("sha512-crypt {sha512-crypt}") << u"{sha512-crypt}"_s + sha512 << u"secret"_s << true;
    QTest::newRow("sha512-crypt {CRYPT}") << u"{CRYPT}"_s + sha512 << u"secret"_s << true;
    // openssl passwd -6 -salt Umlaut42 'pässwörd'
    QTest::newRow("sha512-crypt utf-8")
        << u"{SHA512-CRYPT}$6$Umlaut42$ET0jubIuy7aSs5RH5B6q7ZuaLYpgj.N2gb2UBtnw4OgYAaDUkIW.LyY2Faf8GplPFjTXQO.edSNYM8FLDjfCA0"_s
        << u"pässwörd"_s << true;
    // mkpasswd -m sha-512 -R 10000 -S roundssalt123456 secret
    QTest::newRow("sha512-crypt rounds=10000")
        << u"$6$rounds=10000$roundssalt123456$AovDWaujYJKvxbBqkxLVk5xQsddwaw.PuSx3R3pqCgNTu3oYrJ1BxTg.dNrwiQEnkuduxIxDu9pUkKMqX/su/0"_s
        << u"secret"_s << true;
    // openssl passwd -5 -salt saltsalt1234 secret
    const QString sha256 = u"$5$saltsalt1234$gcfFuwR7Y94.ZureXHFid7SCUoLfuUkLeZmE/uW9wDA"_s;
    QTest::newRow("sha256-crypt bare") << sha256 << u"secret"_s << true;
    QTest::newRow("sha256-crypt {SHA256-CRYPT}") << u"{SHA256-CRYPT}"_s + sha256 << u"secret"_s << true;

    // htpasswd -bnBC 10 user secret   (Apache APR's own bcrypt, $2y$ as Dovecot writes it)
    const QString bcrypt2y = u"$2y$10$WEaAmk4gThlM8RDS.3bK2.WgX2eUu4MUXLyZSw1577lIlBUv6ujmy"_s;
    QTest::newRow("bcrypt $2y$ {BLF-CRYPT}") << u"{BLF-CRYPT}"_s + bcrypt2y << u"secret"_s << true;
    QTest::newRow("bcrypt $2y$ bare") << bcrypt2y << u"secret"_s << true;
    // mkpasswd -m bcrypt -R 5 secret
    QTest::newRow("bcrypt $2b$ {CRYPT}") << u"{CRYPT}$2b$05$MnAMIYRSAzx0q0Rta67pfOXyLdEVDzLCY7GbbM58Vh6JYmI//s0eO"_s
                                         << u"secret"_s << true;
    // python3 -c 'import crypt; print(crypt.crypt("secret", "$2b$04$abcdefghijklmnopqrstuu"))'
    QTest::newRow("bcrypt $2b$ python") << u"$2b$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW"_s
                                        << u"secret"_s << true;
    // Openwall crypt_blowfish test vector ("U*U"); checked with htpasswd -vb.
    QTest::newRow("bcrypt $2a$ openwall")
        << u"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"_s << u"U*U"_s << true;

    // python3 -c 'import hashlib,base64; s=bytes.fromhex("0a1b2c3d");
    //   print("{SSHA256}"+base64.b64encode(hashlib.sha256(b"secret"+s).digest()+s).decode())'
    QTest::newRow("ssha256") << u"{SSHA256}IV4RtQnETpe9caz0nVxhg0oWN8fcYcl1ye26eKICwVYKGyw9"_s << u"secret"_s << true;
    // python3 -c 'import hashlib,base64; s=bytes.fromhex("0a1b2c3d4e5f6071");
    //   print("{SSHA512}"+base64.b64encode(hashlib.sha512(b"secret"+s).digest()+s).decode())'
    QTest::newRow("ssha512")
        << u"{SSHA512}XS9RwaAq4CFNdKj/++HsMAxrFrc6QOKNftvRLZDHefOoJi/YOt7BrJwNwW2bwcXIwUTiBJyZWWFV3U57jV6+oQobLD1OX2Bx"_s
        << u"secret"_s << true;
    // python3 -c 'import hashlib,base64; s=bytes.fromhex("deadbeef");
    //   print("{SSHA512}"+base64.b64encode(hashlib.sha512("pässwörd".encode()+s).digest()+s).decode())'
    QTest::newRow("ssha512 utf-8")
        << u"{SSHA512}L0OO02egvojeF2XaJ9X+ZkwG89Nl6jeCWnIPx8VT8iuIfjVIpFbTN5mEtGAdwdud66GCZaqOuTk2QRuXnlWnYd6tvu8="_s
        << u"pässwörd"_s << true;
}

void TestPasswordHasher::importedHashes()
{
    QFETCH(QString, stored);
    QFETCH(QString, password);
    QFETCH(bool, needsRehash);

    QString why = u"untouched"_s;
    QVERIFY(PasswordHasher::isSupportedHash(stored, &why));
    QCOMPARE(why, u"untouched"_s);

    const PasswordHasher::Verification good = PasswordHasher::verify(stored, password);
    QCOMPARE(good.reason, QString());
    QCOMPARE(good.ok, true);
    QCOMPARE(good.needsRehash, needsRehash);

    const QStringList wrongPasswords{password + u"x"_s, password.toUpper(), password.chopped(1), QString()};
    for (const QString& wrong : wrongPasswords)
    {
        if (wrong == password)
            continue; // "U*U".toUpper()
        const PasswordHasher::Verification bad = PasswordHasher::verify(stored, wrong);
        QCOMPARE(bad.ok, false);
        QCOMPARE(bad.needsRehash, false);
        QCOMPARE(bad.reason, u"password does not match"_s);
    }
}

void TestPasswordHasher::unsupportedHashes_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("reason");

    QTest::newRow("empty") << QString() << u"hash is empty"_s;
    QTest::newRow("plain text") << u"secret"_s << u"unrecognised hash format"_s;
    QTest::newRow("trailing newline") << u"$5$saltsalt1234$gcfFuwR7Y94.ZureXHFid7SCUoLfuUkLeZmE/uW9wDA\n"_s
                                      << u"hash contains characters outside printable ASCII"_s;
    QTest::newRow("non-ascii") << u"{SSHA256}pässwörd"_s << u"hash contains characters outside printable ASCII"_s;
    QTest::newRow("too long") << u"{SSHA512}"_s + QString(600, u'A') << u"hash is longer than 512 characters"_s;
    QTest::newRow("unterminated scheme") << u"{SSHA256IV4RtQnETpe9caz0nVxhg0oWN8fcYc"_s
                                         << u"scheme prefix has no closing }"_s;
    QTest::newRow("{PLAIN}") << u"{PLAIN}secret"_s << u"unsupported password scheme {PLAIN}"_s;
    QTest::newRow("{sha} upper-cased") << u"{sha}5en6G6MezRroT3XKqkdPOmY/BfQ="_s
                                       << u"unsupported password scheme {SHA}"_s;
    QTest::newRow("empty scheme") << u"{}$6$x"_s << u"unsupported password scheme {}"_s;
    // openssl passwd -1 -salt saltsalt secret   (MD5-crypt: not imported)
    QTest::newRow("md5-crypt bare") << u"$1$saltsalt$9xy1btjgzLYfb7hivXtC//"_s << u"unsupported crypt method $1$"_s;
    QTest::newRow("{MD5-CRYPT}") << u"{MD5-CRYPT}$1$saltsalt$9xy1btjgzLYfb7hivXtC//"_s
                                 << u"unsupported password scheme {MD5-CRYPT}"_s;
    QTest::newRow("{CRYPT} md5-crypt")
        << u"{CRYPT}$1$saltsalt$9xy1btjgzLYfb7hivXtC//"_s
        << u"{CRYPT} must be followed by a bcrypt, SHA256-CRYPT or SHA512-CRYPT string"_s;
    // echo -n secret | argon2 saltsaltsaltsalt -d -t 3 -k 4096 -p 1 -l 32 -e
    QTest::newRow("argon2d")
        << u"$argon2d$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$PTD7LfO6+PsJ9pxcgNA/n49VLwqqjETHwdIQtac0CPA"_s
        << u"unsupported crypt method $argon2d$"_s;
    QTest::newRow("{ARGON2ID} with argon2i")
        << u"{ARGON2ID}$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$rKruB1I84RhLo+f37zOlH0ftGAkApBr8ADCpg+0WyfQ"_s
        << u"{ARGON2ID} must be followed by an $argon2id$ string"_s;
    QTest::newRow("{SHA512-CRYPT} with $5$")
        << u"{SHA512-CRYPT}$5$saltsalt1234$gcfFuwR7Y94.ZureXHFid7SCUoLfuUkLeZmE/uW9wDA"_s
        << u"{SHA512-CRYPT} must be followed by a $6$ string"_s;
    QTest::newRow("{BLF-CRYPT} empty") << u"{BLF-CRYPT}"_s
                                       << u"{BLF-CRYPT} must be followed by a $2a$, $2b$ or $2y$ string"_s;

    QTest::newRow("argon2 missing p")
        << u"$argon2id$v=19$m=65536,t=3$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"malformed argon2 hash"_s;
    QTest::newRow("argon2 padded base64")
        << u"$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA==$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"malformed argon2 hash"_s;
    QTest::newRow("argon2 leading zero")
        << u"$argon2id$v=19$m=065536,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"malformed argon2 hash"_s;
    QTest::newRow("argon2 overflow")
        << u"$argon2id$v=19$m=4294967296,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"malformed argon2 hash"_s;
    QTest::newRow("argon2 v=18")
        << u"$argon2id$v=18$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"unsupported argon2 version"_s;
    QTest::newRow("argon2 4 GiB")
        << u"$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"argon2 memory cost above 1048576 KiB is not accepted"_s;
    QTest::newRow("argon2 m below 8p")
        << u"$argon2id$v=19$m=8,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"argon2 memory cost is below 8 KiB per lane"_s;
    QTest::newRow("argon2 t=0")
        << u"$argon2id$v=19$m=65536,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"argon2 time cost must be 1 to 16"_s;
    QTest::newRow("argon2 t=100")
        << u"$argon2id$v=19$m=65536,t=100,p=1$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"argon2 time cost must be 1 to 16"_s;
    QTest::newRow("argon2 p=0")
        << u"$argon2id$v=19$m=65536,t=3,p=0$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"argon2 parallelism must be 1 to 16"_s;
    QTest::newRow("argon2 4-byte salt")
        << u"$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$pkbZJzB7YF+Dit76cIMiu5JI+Lz9bC8L06rSXjorlSA"_s
        << u"argon2 salt must be 8 to 64 bytes"_s;
    QTest::newRow("argon2 8-byte hash") << u"$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHRzYWx0c2FsdA$pkbZJzB7YF8"_s
                                        << u"argon2 hash must be 16 to 64 bytes"_s;

    QTest::newRow("bcrypt truncated") << u"$2y$10$WEaAmk4gThlM8RDS.3bK2.WgX2eUu4MUXLyZSw1577lIlBUv6ujm"_s
                                      << u"malformed bcrypt hash"_s;
    QTest::newRow("bcrypt cost 03") << u"$2b$03$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW"_s
                                    << u"malformed bcrypt hash"_s;
    QTest::newRow("bcrypt cost 15") << u"$2b$15$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW"_s
                                    << u"bcrypt cost above 14 is not accepted"_s;
    QTest::newRow("sha512-crypt short hash")
        << u"$6$saltsalt1234$gcfFuwR7Y94.ZureXHFid7SCUoLfuUkLeZmE/uW9wDA"_s << u"malformed SHA-crypt hash"_s;
    QTest::newRow("sha512-crypt 17-char salt")
        << u"$6$saltsaltsaltsalt1$Jzx4Wae8pi9RPOzMzzzpteRFlAukgjIekvrujxvQsIAIkzoHg28m3wEsiThWW4NZCiw9qq26Jdx2oIzBnIWKL0"_s
        << u"malformed SHA-crypt hash"_s;
    QTest::newRow("sha512-crypt rounds=999")
        << u"$6$rounds=999$roundssalt123456$AovDWaujYJKvxbBqkxLVk5xQsddwaw.PuSx3R3pqCgNTu3oYrJ1BxTg.dNrwiQEnkuduxIxDu9pUkKMqX/su/0"_s
        << u"malformed SHA-crypt hash"_s;
    QTest::newRow("sha512-crypt rounds=5000000")
        << u"$6$rounds=5000000$roundssalt123456$AovDWaujYJKvxbBqkxLVk5xQsddwaw.PuSx3R3pqCgNTu3oYrJ1BxTg.dNrwiQEnkuduxIxDu9pUkKMqX/su/0"_s
        << u"SHA-crypt rounds above 2000000 are not accepted"_s;
    QTest::newRow("ssha256 bad base64") << u"{SSHA256}!!!!"_s << u"SSHA value is not valid base64"_s;
    QTest::newRow("ssha256 empty") << u"{SSHA256}"_s << u"SSHA value is not valid base64"_s;
    // base64 of a bare SHA-256 digest: no room for a salt.
    QTest::newRow("ssha256 no salt") << u"{SSHA256}LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE="_s
                                     << u"SSHA value is too short to contain a salt"_s;
}

void TestPasswordHasher::unsupportedHashes()
{
    QFETCH(QString, stored);
    QFETCH(QString, reason);

    QString why;
    QCOMPARE(PasswordHasher::isSupportedHash(stored, &why), false);
    QCOMPARE(why, reason);
    QCOMPARE(PasswordHasher::isSupportedHash(stored), false);

    const PasswordHasher::Verification result = PasswordHasher::verify(stored, u"secret"_s);
    QCOMPARE(result.ok, false);
    QCOMPARE(result.needsRehash, false);
    QCOMPARE(result.reason, reason);
}

void TestPasswordHasher::cryptLibraryRejectsNonCanonicalSalt()
{
    // Only the top bits of bcrypt's 22nd salt character count: libcrypt rewrites "v" as "u", so this
    // string (the "bcrypt $2b$ python" fixture with one salt character changed) can never verify.
    const QString stored = u"$2b$04$abcdefghijklmnopqrstuv2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW"_s;
    QString why;
    QCOMPARE(PasswordHasher::isSupportedHash(stored, &why), false);
    QCOMPARE(why, u"crypt library does not accept this hash"_s);
    const PasswordHasher::Verification result = PasswordHasher::verify(stored, u"secret"_s);
    QCOMPARE(result.ok, false);
    QCOMPARE(result.reason, u"password does not match"_s);
}

void TestPasswordHasher::passwordLimits()
{
    const QString tooLong(4097, u'p');
    const promail::Result<QString> hashed = PasswordHasher::hash(tooLong);
    QVERIFY(!hashed.ok());
    QCOMPARE(hashed.error().code, promail::ErrorCode::Invalid);
    QCOMPARE(hashed.error().field, u"password"_s);
    QCOMPARE(hashed.error().message, u"password is longer than 4096 bytes"_s);

    // 2049 two-byte characters: the limit is on UTF-8 bytes, not characters.
    const PasswordHasher::Verification longUtf8 =
        PasswordHasher::verify(u"{SSHA256}IV4RtQnETpe9caz0nVxhg0oWN8fcYcl1ye26eKICwVYKGyw9"_s, QString(2049, u'ä'));
    QCOMPARE(longUtf8.ok, false);
    QCOMPARE(longUtf8.reason, u"password is longer than 4096 bytes"_s);

    // openssl passwd -6 -salt saltsalt1234 secret: crypt(3) would stop at the NUL and accept this.
    const QString sha512 =
        u"$6$saltsalt1234$Jzx4Wae8pi9RPOzMzzzpteRFlAukgjIekvrujxvQsIAIkzoHg28m3wEsiThWW4NZCiw9qq26Jdx2oIzBnIWKL0"_s;
    const PasswordHasher::Verification nul = PasswordHasher::verify(sha512, u"secret\0tail"_s);
    QCOMPARE(nul.ok, false);
    QCOMPARE(nul.reason, u"password contains a NUL byte"_s);
}

void TestPasswordHasher::refusalCostsAHash_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown user") << QString() << u"secret"_s << u"hash is empty"_s;
    QTest::newRow("garbage") << u"{PLAIN}secret"_s << u"secret"_s << u"unsupported password scheme {PLAIN}"_s;
    QTest::newRow("too long") << u"{SSHA256}IV4RtQnETpe9caz0nVxhg0oWN8fcYcl1ye26eKICwVYKGyw9"_s << QString(5000, u'p')
                              << u"password is longer than 4096 bytes"_s;
    QTest::newRow("nul for crypt") << u"$5$saltsalt1234$gcfFuwR7Y94.ZureXHFid7SCUoLfuUkLeZmE/uW9wDA"_s
                                   << u"secret\0tail"_s << u"password contains a NUL byte"_s;
}

void TestPasswordHasher::refusalCostsAHash()
{
    QFETCH(QString, stored);
    QFETCH(QString, password);
    QFETCH(QString, reason);
    // One 46 MiB argon2id pass cannot finish in under 10 ms on this hardware; returning at once would.
    const std::clock_t cpuStart = std::clock();
    const PasswordHasher::Verification result = PasswordHasher::verify(stored, password);
    const long cpuMs = static_cast<long>((std::clock() - cpuStart) * 1000 / CLOCKS_PER_SEC);
    QCOMPARE(result.ok, false);
    QCOMPARE(result.reason, reason);
    QVERIFY2(cpuMs >= 10, qPrintable(u"refusal took only %1 ms of CPU"_s.arg(cpuMs)));
}

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
