package dev.clpipe.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line for an I/O error. The JDK's file-system exceptions carry only the path as their
 * message ({@code error: runs} says nothing), so the kind of failure is put into words here.
 */
final class IoMessages {
    private IoMessages() {}

    static String describe(IOException e) {
        if (!(e instanceof FileSystemException f) || f.getFile() == null) return oneLine(e.getMessage());
        String what = e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof FileAlreadyExistsException ? "already exists (and is not a folder clpipe may write into)"
                : e instanceof NotDirectoryException ? "is not a folder"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof DirectoryNotEmptyException ? "folder is not empty"
                : f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        String where = f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
        return where + ": " + what;
    }

    private static String oneLine(String message) {
        return message == null ? "I/O error" : message.replace('\n', ' ');
    }
}
