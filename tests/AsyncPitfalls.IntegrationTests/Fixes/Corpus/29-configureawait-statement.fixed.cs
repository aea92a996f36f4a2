using System.IO;
using System.Threading.Tasks;

namespace Logging;

internal sealed class FileSink
{
    private readonly StreamWriter _writer;

    public FileSink(StreamWriter writer) => _writer = writer;

    public async Task WriteAsync(string line)
    {
        _writer.WriteLineAsync(line).ConfigureAwait(false);
        await _writer.FlushAsync().ConfigureAwait(false);
    }
}
