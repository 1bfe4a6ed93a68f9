#include "optimise/mpi_pool.hpp"

#include "util/error.hpp"

#ifdef ELAA_HAVE_MPI
#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#endif

namespace elaa::optimise {

#ifndef ELAA_HAVE_MPI

bool mpi_available() { return false; }
MpiSession::MpiSession(int&, char**&) { throw InputError("--mpi: this elaa was built without MPI (ELAA_WITH_MPI=OFF or no MPI found)"); }
MpiSession::~MpiSession() = default;
void mpi_send_config(const std::string&, const std::string&) {}
std::pair<std::string, std::string> mpi_receive_config() { return {}; }
std::vector<std::vector<double>> mpi_evaluate(const std::vector<std::vector<double>>& genomes, const Work& local) {
    std::vector<std::vector<double>> out;
    for (const auto& g : genomes) out.push_back(local(g));
    return out;
}
void mpi_stop_workers() {}
void mpi_worker_loop(const Work&) {}

#else

namespace {

enum Tag : int { kWork = 1, kResult = 2, kStop = 3, kError = 4 };  // kError: a worker's exception text

// Sleeping between polls keeps a waiting rank's CPU use near zero. The sleep grows while nothing
// arrives (50 µs doubling up to 2 ms): a reply that comes right away (the next genome) costs little
// latency next to an evaluation's milliseconds, and a long wait (rank 0 exporting, or between
// generations) costs a poll every 2 ms.
class Backoff {
public:
    void wait() {
        std::this_thread::sleep_for(std::chrono::microseconds(delay_us_));
        delay_us_ = std::min(delay_us_ * 2, 2000);
    }
    void reset() { delay_us_ = 50; }

private:
    int delay_us_ = 50;
};

struct Message {
    int source = 0, tag = 0;
    std::vector<double> values;
};

// Waits (polling, with backoff) for a message from `source` with `tag` (MPI_ANY_* allowed).
Message receive(int source, int tag) {
    Backoff backoff;
    MPI_Status status;
    for (int arrived = 0;;) {
        MPI_Iprobe(source, tag, MPI_COMM_WORLD, &arrived, &status);
        if (arrived) break;
        backoff.wait();
    }
    int count = 0;
    MPI_Get_count(&status, MPI_DOUBLE, &count);
    Message m{status.MPI_SOURCE, status.MPI_TAG, std::vector<double>(static_cast<std::size_t>(count))};
    MPI_Recv(m.values.data(), count, MPI_DOUBLE, m.source, m.tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return m;
}

void broadcast_string(std::string& text) {
    unsigned long long length = text.size();
    MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    text.resize(length);
    if (length) MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
}

}  // namespace

bool mpi_available() { return true; }

MpiSession::MpiSession(int& argc, char**& argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

void mpi_send_config(const std::string& text, const std::string& source) {
    std::string t = text, s = source;
    broadcast_string(t);
    broadcast_string(s);
}

std::pair<std::string, std::string> mpi_receive_config() {
    std::string text, source;
    broadcast_string(text);
    broadcast_string(source);
    return {text, source};
}

std::vector<std::vector<double>> mpi_evaluate(const std::vector<std::vector<double>>& genomes, const Work& local) {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    const std::size_t n = genomes.size();
    std::vector<std::vector<double>> results(n);
    std::mutex mutex;
    std::size_t next = 0;  // next genome to hand out (guarded by mutex)
    bool failed = false;   // a rank threw: hand out nothing more (guarded by mutex)
    auto take = [&]() -> std::size_t {
        std::lock_guard lock(mutex);
        return next < n && !failed ? next++ : n;
    };
    auto fail = [&] {
        std::lock_guard lock(mutex);
        failed = true;
    };
    // Rank 0's own share, on a second thread (only the main thread calls MPI: FUNNELED). An
    // exception there is rethrown once every outstanding result is in, never left to terminate.
    std::exception_ptr own_error;
    std::thread own([&] {
        try {
            for (std::size_t i = take(); i < n; i = take()) results[i] = local(genomes[i]);
        } catch (...) {
            own_error = std::current_exception();
            fail();
        }
    });
    auto send_work = [&](int worker) -> bool {
        const std::size_t i = take();
        if (i >= n) return false;
        std::vector<double> message{static_cast<double>(i)};
        message.insert(message.end(), genomes[i].begin(), genomes[i].end());
        MPI_Send(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, worker, kWork, MPI_COMM_WORLD);
        return true;
    };
    std::size_t outstanding = 0;
    std::string worker_error;
    for (int w = 1; w < size; ++w) outstanding += send_work(w) ? 1 : 0;
    while (outstanding > 0) {
        const Message m = receive(MPI_ANY_SOURCE, MPI_ANY_TAG);
        --outstanding;
        if (m.tag == kError) {
            if (worker_error.empty())
                worker_error = "MPI rank " + std::to_string(m.source) + ": " + std::string(m.values.begin(), m.values.end());
            fail();
            continue;
        }
        const auto i = static_cast<std::size_t>(m.values.at(0));
        results.at(i).assign(m.values.begin() + 1, m.values.end());
        if (send_work(m.source)) ++outstanding;
    }
    own.join();
    if (own_error) std::rethrow_exception(own_error);
    if (!worker_error.empty()) throw InputError(worker_error);
    return results;
}

void mpi_stop_workers() {
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    for (int w = 1; w < size; ++w) MPI_Send(nullptr, 0, MPI_DOUBLE, w, kStop, MPI_COMM_WORLD);
}

void mpi_worker_loop(const Work& work) {
    for (;;) {
        const Message m = receive(0, MPI_ANY_TAG);
        if (m.tag == kStop) return;
        const std::vector<double> genome(m.values.begin() + 1, m.values.end());
        try {
            std::vector<double> reply{m.values[0]};
            const auto f = work(genome);
            reply.insert(reply.end(), f.begin(), f.end());
            MPI_Send(reply.data(), static_cast<int>(reply.size()), MPI_DOUBLE, 0, kResult, MPI_COMM_WORLD);
        } catch (const std::exception& e) {
            // Rank 0 ends the run with this message (and then stops this loop); dying here would
            // leave it waiting for a reply forever.
            const std::string what = e.what();
            const std::vector<double> text(what.begin(), what.end());
            MPI_Send(text.data(), static_cast<int>(text.size()), MPI_DOUBLE, 0, kError, MPI_COMM_WORLD);
        }
    }
}

#endif

}  // namespace elaa::optimise
