// Evaluating a generation over MPI ranks (`elaa optimise --mpi`). Rank 0 runs NSGA-II and hands
// genomes out one at a time to whichever rank is free (evaluation times are uneven: cache hits are
// cheap, new layer shapes are not); it evaluates genomes itself on a second thread meanwhile.
// Results are placed by genome index, so the outcome is identical for any number of ranks. Island
// runs hand out whole islands the same way (one island's generation per unit of work).
// Waiting ranks poll with short sleeps: Open MPI's blocking calls spin, and an idle rank must not
// burn a core. Built only with MPI (ELAA_WITH_MPI); without it mpi_available() is false.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace elaa::optimise {

bool mpi_available();

// Initialises MPI (thread level FUNNELED) for the process's lifetime.
class MpiSession {
public:
    MpiSession(int& argc, char**& argv);
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    int rank() const { return rank_; }
    int size() const { return size_; }

private:
    int rank_ = 0, size_ = 1;
};

// One unit of work as flat doubles: a genome -> its objectives, or (island runs) an island's
// population -> its next generation (problems/driver.cpp encodes both).
using Work = std::function<std::vector<double>(const std::vector<double>&)>;

// Rank 0: sends the run config (its text and file name) to every worker; an empty text tells them
// to stop (rank 0 failed before the run started).
void mpi_send_config(const std::string& text, const std::string& source);
// Worker ranks: receive the config (empty text: stop).
std::pair<std::string, std::string> mpi_receive_config();

// Rank 0: evaluates `genomes` (units of work) over all ranks (itself included), results by index.
std::vector<std::vector<double>> mpi_evaluate(const std::vector<std::vector<double>>& genomes, const Work& local);
// Rank 0: tells every worker to stop.
void mpi_stop_workers();
// Worker ranks: do the work rank 0 sends until told to stop.
void mpi_worker_loop(const Work& work);

}  // namespace elaa::optimise
