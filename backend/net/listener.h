#pragma once

#include "core/result.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>

namespace promail
{

class WorkerPool;

// Accepts TCP connections in the thread it lives in (the main thread) and hands each socket
// descriptor to the next worker of a WorkerPool, where the session is created and stays
// (ARCHITECTURE.md "Concurrency").
class Listener : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Listener)

public:
    // Runs in the worker's thread; workerContext lives there and may parent the session.
    // The factory owns the descriptor from then on (it must adopt or close it).
    using ConnectionFactory = std::function<void(qintptr descriptor, QObject* workerContext)>;

    Listener(WorkerPool* pool, const QHostAddress& address, quint16 port, ConnectionFactory factory,
             QObject* parent = nullptr);
    ~Listener() override;

    Status listen();
    void close();
    bool isListening() const;

    QHostAddress serverAddress() const;
    // The bound port: the real one after listen() when constructed with port 0.
    quint16 serverPort() const;

private:
    void dispatch(qintptr descriptor);

    class Server;
    friend class Server;

    WorkerPool* m_pool;
    QHostAddress m_address;
    quint16 m_port;
    ConnectionFactory m_factory;
    std::unique_ptr<Server> m_server;
};

} // namespace promail
