#pragma once

#include <QObject>

class QSocketNotifier;

namespace promail
{

// Turns SIGTERM, SIGINT and SIGHUP into Qt signals on the main thread (self-pipe: the handler
// only writes the signal number to a socket the event loop watches).
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;
    Q_DISABLE_COPY_MOVE(SignalWatcher)

Q_SIGNALS:
    void terminationRequested(int signalNumber);
    void reloadRequested();

private:
    void readSignals();

    QSocketNotifier* m_notifier = nullptr;
};

} // namespace promail
