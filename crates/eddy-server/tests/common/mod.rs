//! Starts an Eddy server in-process on a free loopback port and connects
//! real clients to it.

#![allow(dead_code)]

use std::net::SocketAddr;

use eddy_runtime::Engine;
use eddy_server::{Server, ServerOptions};
use tokio::task::JoinHandle;
use tokio_postgres::{Client, NoTls};

/// A running server; dropping it stops accepting connections.
pub struct TestServer {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// A server over a fresh engine on 127.0.0.1 and a free port.
    pub async fn start() -> TestServer {
        TestServer::start_with(ServerOptions::default()).await
    }

    /// A server with `options` (authentication, TLS).
    pub async fn start_with(options: ServerOptions) -> TestServer {
        let addr = "127.0.0.1:0".parse().expect("an address");
        let server = Server::bind_with(Engine::new(), addr, options).await.expect("binding");
        let addr = server.local_addr().expect("the bound address");
        let task = tokio::spawn(async move {
            let _ = server.run().await;
        });
        TestServer { addr, task }
    }

    /// A tokio-postgres client; its connection runs in a background task.
    pub async fn connect(&self) -> Client {
        let config = format!("host={} port={} user=eddy dbname=eddy", self.addr.ip(), self.addr.port());
        let (client, connection) = tokio_postgres::connect(&config, NoTls).await.expect("connecting");
        tokio::spawn(async move {
            let _ = connection.await;
        });
        client
    }
}

/// 5,000 Nexmark events at 1,000,000 per second from 2024-01-01: the first
/// 5 ms of event time. Every 50 events hold 1 person, 3 auctions and 46
/// bids, so the stream has 5000 / 50 * 46 = 4,600 bids.
pub const BIDS_STREAM: &str = "CREATE STREAM bids (WATERMARK FOR date_time AS date_time - INTERVAL '1 second') \
     WITH (connector = 'nexmark', table = 'bid', events_per_second = 1000000, max_events = 5000, \
     base_time = '2024-01-01 00:00:00')";

/// Bids in the stream, computed from the Nexmark event mix above.
pub const BIDS: i64 = 5000 / 50 * 46;
