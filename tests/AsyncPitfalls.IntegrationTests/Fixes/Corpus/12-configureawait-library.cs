using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Storage;

internal sealed class SegmentReader
{
    private readonly Stream _stream;

    public SegmentReader(Stream stream) => _stream = stream;

    public async Task<int> ReadHeaderAsync(byte[] buffer, CancellationToken token)
    {
        var read = await _stream.ReadAsync(buffer, 0, 4, token).ConfigureAwait(false);
        await _stream.FlushAsync(token).ConfigureAwait(false);
        return read;
    }

    public async Task RewindAsync(CancellationToken token)
    {
        _stream.Position = 0;
        _stream.Flush();
        await Task.Yield();
    }
}
